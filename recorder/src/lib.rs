//! The recorder: /proc and /sys parsers, the sampling loop, daily files. (Not yet written.)
