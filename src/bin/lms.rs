//! The cmi5 program (issue 16): reports to the learning record store of the LMS that launched
//! a cmi5 package (src/lms/cmi5.rs). A program of its own so that no other build carries it:
//! only a cmi5 package's page loads it (scripts/lms-package.mjs adds it), beside the home
//! screen and the player, which hand it each run through `window`.

fn main() {
    thresholds::say_so_on_panic();
    thresholds::lms::cmi5::start();
}
