//! Graphs of query series. (Not yet written.)
