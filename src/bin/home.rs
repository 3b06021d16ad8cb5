//! The home screen as a program of its own: the first thing the page loads (see src/lib.rs).

fn main() {
    thresholds::say_so_on_panic();
    thresholds::home::start();
}
