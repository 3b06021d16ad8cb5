//! Two small graph helpers shared by the validator (over steps) and the exploration of a case's
//! states (over states): edges reversed, and which nodes a search from some seeds reaches.
//! Nodes are indices; edges are each node's list of successors.

/// Each node's predecessors.
pub fn reversed(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut before = vec![Vec::new(); edges.len()];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            before[to].push(from);
        }
    }
    before
}

/// Which nodes can be reached from the seeds (the seeds included).
pub fn reachable(seeds: impl IntoIterator<Item = usize>, edges: &[Vec<usize>]) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut stack: Vec<usize> = Vec::new();
    for i in seeds {
        if !seen[i] {
            seen[i] = true;
            stack.push(i);
        }
    }
    while let Some(i) = stack.pop() {
        for &j in &edges[i] {
            if !seen[j] {
                seen[j] = true;
                stack.push(j);
            }
        }
    }
    seen
}
