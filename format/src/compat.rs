//! Layouts for older readers (`rsadc --compat VERSION`, `rsadf -c --compat VERSION`).
//!
//! Every sysstat release since 11.7.1 writes format 0x2175, but the
//! composition of each activity's structure grew over time. A reader remaps
//! what it knows, so the safe file for an old `sar` is one whose activities
//! have exactly the layouts that release declared: it then reads every field
//! and none is dropped or zero-filled. The table below was extracted from
//! the tagged `activity.c`, `rd_stats.h` and `rd_sensors.h` of each release
//! (sizes measured by compiling the headers on x86_64).

use crate::activity::ACTIVITY_MAGIC_BASE;
use crate::remap::Layout;
use crate::{ActivityId, ActivitySpec, Version};

/// One activity's declaration, from release `since` until the next change.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change {
    since: (u8, u8, u8),
    id: u32,
    /// Added to `ACTIVITY_MAGIC_BASE`.
    magic: u32,
    types_nr: [u32; 3],
    size: u32,
}

/// The layouts a file should use: the current ones or those of a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compat {
    /// sysstat 12.7.9, this crate's own layouts.
    #[default]
    Current,
    /// The release whose `sar` must read the file in full.
    Release(Version),
}

impl Compat {
    /// `12.6` (the last release of that series), `12.6.1`, or `current`.
    pub fn parse(s: &str) -> Result<Compat, String> {
        if s == "current" {
            return Ok(Compat::Current);
        }
        let bad = || format!("unknown sysstat release {s}: expected one of 11.7 to 12.7, or X.Y.Z");
        let parts: Vec<u8> = s.split('.').map(|p| p.parse::<u8>()).collect::<Result<_, _>>().map_err(|_| bad())?;
        let rel = match parts[..] {
            [a, b] => RELEASES.iter().rev().find(|r| (r.0, r.1) == (a, b)).copied(),
            [a, b, c] => RELEASES.iter().find(|r| **r == (a, b, c)).copied(),
            _ => None,
        };
        let (a, b, c) = rel.ok_or_else(bad)?;
        if (a, b, c) == *RELEASES.last().expect("table is not empty") {
            return Ok(Compat::Current);
        }
        Ok(Compat::Release(Version::new(a, b, c)))
    }

    /// The layouts to write for a machine whose installed sysstat is `v`:
    /// those of the newest release up to `v`, or `None` when the current
    /// layouts suit it (12.7 on) or nothing does (before 11.7.1, whose
    /// readers take no file of this format).
    pub fn for_installed(v: Version) -> Option<Compat> {
        let key = (v.version, v.patchlevel, v.sublevel);
        if key >= (12, 7, 0) {
            return None;
        }
        let &(a, b, c) = RELEASES.iter().rfind(|r| **r <= key)?;
        Some(Compat::Release(Version::new(a, b, c)))
    }

    /// The version the file magic claims.
    pub fn version(self) -> Version {
        match self {
            Compat::Current => {
                let (a, b, c) = *RELEASES.last().expect("table is not empty");
                Version::new(a, b, c)
            }
            Compat::Release(v) => v,
        }
    }

    /// How `id` is written for this target: `None` when the release did not
    /// know the activity, or knew it under another format magic (its reader
    /// would skip it, so writing it only costs space). sarkit's extension
    /// activities are written in their own layout for every target: every
    /// release skips them, and sarkit reads them.
    pub fn layout(self, id: ActivityId) -> Option<Layout> {
        let info = id.info()?;
        let Compat::Release(v) = self else { return Some(info.layout) };
        if id.is_extension() {
            return Some(info.layout);
        }
        let key = (v.version, v.patchlevel, v.sublevel);
        let c = CHANGES.iter().rfind(|c| c.id == id.0 && c.since <= key)?;
        (ACTIVITY_MAGIC_BASE + c.magic == info.magic).then(|| Layout::new(c.types_nr, c.size))
    }

    /// The activity list for this target: unknown activities left out, the
    /// others in the release's layout.
    pub fn apply(self, specs: Vec<ActivitySpec>) -> Vec<ActivitySpec> {
        specs.into_iter().filter_map(|s| Some(ActivitySpec { layout: self.layout(s.info.id)?, ..s })).collect()
    }
}

/// Every release since the current format began, oldest first.
const RELEASES: &[(u8, u8, u8)] = &[
    (11, 7, 1),
    (11, 7, 2),
    (11, 7, 3),
    (11, 7, 4),
    (12, 0, 0),
    (12, 0, 1),
    (12, 0, 2),
    (12, 0, 3),
    (12, 0, 4),
    (12, 0, 5),
    (12, 0, 6),
    (12, 1, 1),
    (12, 1, 2),
    (12, 1, 3),
    (12, 1, 4),
    (12, 1, 5),
    (12, 1, 6),
    (12, 1, 7),
    (12, 2, 0),
    (12, 2, 1),
    (12, 2, 2),
    (12, 2, 3),
    (12, 3, 1),
    (12, 3, 2),
    (12, 3, 3),
    (12, 4, 0),
    (12, 4, 1),
    (12, 4, 2),
    (12, 4, 3),
    (12, 4, 4),
    (12, 4, 5),
    (12, 5, 1),
    (12, 5, 2),
    (12, 5, 3),
    (12, 5, 4),
    (12, 5, 5),
    (12, 5, 6),
    (12, 6, 0),
    (12, 6, 1),
    (12, 6, 2),
    (12, 7, 1),
    (12, 7, 2),
    (12, 7, 3),
    (12, 7, 4),
    (12, 7, 5),
    (12, 7, 6),
    (12, 7, 7),
    (12, 7, 8),
    (12, 7, 9),
];
/// Each activity's declaration at 11.7.1 and whenever a release changed it.
const CHANGES: &[Change] = &[
    Change { since: (11, 7, 1), id: 1, magic: 0, types_nr: [10, 0, 0], size: 80 },
    Change { since: (11, 7, 1), id: 2, magic: 0, types_nr: [1, 1, 0], size: 16 },
    Change { since: (11, 7, 1), id: 3, magic: 0, types_nr: [1, 0, 0], size: 8 },
    Change { since: (11, 7, 1), id: 4, magic: 0, types_nr: [0, 2, 0], size: 16 },
    Change { since: (11, 7, 1), id: 5, magic: 0, types_nr: [0, 8, 0], size: 64 },
    Change { since: (11, 7, 1), id: 6, magic: 1, types_nr: [5, 0, 0], size: 40 },
    Change { since: (11, 7, 1), id: 7, magic: 0, types_nr: [17, 0, 0], size: 136 },
    Change { since: (11, 7, 1), id: 8, magic: 0, types_nr: [4, 0, 0], size: 32 },
    Change { since: (11, 7, 1), id: 9, magic: 1, types_nr: [3, 0, 3], size: 40 },
    Change { since: (11, 7, 1), id: 10, magic: 0, types_nr: [0, 0, 7], size: 28 },
    Change { since: (11, 7, 1), id: 11, magic: 1, types_nr: [1, 2, 6], size: 48 },
    Change { since: (11, 7, 1), id: 12, magic: 2, types_nr: [7, 0, 1], size: 80 },
    Change { since: (11, 7, 1), id: 13, magic: 1, types_nr: [9, 0, 0], size: 88 },
    Change { since: (11, 7, 1), id: 14, magic: 0, types_nr: [0, 0, 6], size: 24 },
    Change { since: (11, 7, 1), id: 15, magic: 0, types_nr: [0, 0, 11], size: 44 },
    Change { since: (11, 7, 1), id: 16, magic: 0, types_nr: [0, 0, 6], size: 24 },
    Change { since: (11, 7, 1), id: 17, magic: 1, types_nr: [8, 0, 0], size: 64 },
    Change { since: (11, 7, 1), id: 18, magic: 1, types_nr: [8, 0, 0], size: 64 },
    Change { since: (11, 7, 1), id: 19, magic: 0, types_nr: [0, 14, 0], size: 112 },
    Change { since: (11, 7, 1), id: 20, magic: 0, types_nr: [0, 12, 0], size: 96 },
    Change { since: (11, 7, 1), id: 21, magic: 0, types_nr: [0, 4, 0], size: 32 },
    Change { since: (11, 7, 1), id: 22, magic: 0, types_nr: [0, 5, 0], size: 40 },
    Change { since: (11, 7, 1), id: 23, magic: 0, types_nr: [0, 4, 0], size: 32 },
    Change { since: (11, 7, 1), id: 24, magic: 0, types_nr: [0, 0, 4], size: 16 },
    Change { since: (11, 7, 1), id: 25, magic: 1, types_nr: [10, 0, 0], size: 80 },
    Change { since: (11, 7, 1), id: 26, magic: 1, types_nr: [11, 0, 0], size: 88 },
    Change { since: (11, 7, 1), id: 27, magic: 0, types_nr: [0, 17, 0], size: 136 },
    Change { since: (11, 7, 1), id: 28, magic: 0, types_nr: [0, 11, 0], size: 88 },
    Change { since: (11, 7, 1), id: 29, magic: 0, types_nr: [0, 4, 0], size: 32 },
    Change { since: (11, 7, 1), id: 30, magic: 0, types_nr: [0, 1, 0], size: 8 },
    Change { since: (11, 7, 1), id: 31, magic: 0, types_nr: [2, 0, 0], size: 40 },
    Change { since: (11, 7, 1), id: 32, magic: 0, types_nr: [3, 0, 0], size: 48 },
    Change { since: (11, 7, 1), id: 33, magic: 0, types_nr: [3, 0, 0], size: 48 },
    Change { since: (11, 7, 1), id: 34, magic: 0, types_nr: [2, 0, 0], size: 136 },
    Change { since: (11, 7, 1), id: 35, magic: 0, types_nr: [1, 1, 0], size: 16 },
    Change { since: (11, 7, 1), id: 36, magic: 0, types_nr: [0, 0, 4], size: 88 },
    Change { since: (11, 7, 1), id: 37, magic: 0, types_nr: [5, 0, 0], size: 296 },
    Change { since: (11, 7, 1), id: 38, magic: 0, types_nr: [0, 4, 0], size: 48 },
    Change { since: (11, 7, 1), id: 39, magic: 0, types_nr: [0, 0, 5], size: 20 },
    Change { since: (11, 7, 2), id: 1, magic: 1, types_nr: [10, 0, 0], size: 80 },
    Change { since: (11, 7, 2), id: 2, magic: 1, types_nr: [1, 1, 0], size: 16 },
    Change { since: (11, 7, 2), id: 3, magic: 1, types_nr: [1, 0, 0], size: 8 },
    Change { since: (11, 7, 2), id: 7, magic: 1, types_nr: [17, 0, 0], size: 136 },
    Change { since: (11, 7, 2), id: 8, magic: 1, types_nr: [4, 0, 0], size: 32 },
    Change { since: (11, 7, 2), id: 9, magic: 2, types_nr: [3, 0, 3], size: 40 },
    Change { since: (11, 7, 2), id: 10, magic: 1, types_nr: [0, 0, 7], size: 28 },
    Change { since: (11, 7, 2), id: 11, magic: 2, types_nr: [1, 2, 6], size: 48 },
    Change { since: (11, 7, 2), id: 12, magic: 3, types_nr: [7, 0, 1], size: 80 },
    Change { since: (11, 7, 2), id: 13, magic: 2, types_nr: [9, 0, 0], size: 88 },
    Change { since: (11, 7, 2), id: 17, magic: 2, types_nr: [8, 0, 0], size: 64 },
    Change { since: (11, 7, 2), id: 18, magic: 2, types_nr: [8, 0, 0], size: 64 },
    Change { since: (11, 7, 2), id: 25, magic: 2, types_nr: [10, 0, 0], size: 80 },
    Change { since: (11, 7, 2), id: 26, magic: 2, types_nr: [11, 0, 0], size: 88 },
    Change { since: (11, 7, 2), id: 34, magic: 1, types_nr: [2, 0, 0], size: 136 },
    Change { since: (11, 7, 2), id: 35, magic: 1, types_nr: [1, 1, 0], size: 16 },
    Change { since: (11, 7, 2), id: 37, magic: 1, types_nr: [5, 0, 0], size: 296 },
    Change { since: (12, 0, 1), id: 34, magic: 1, types_nr: [2, 0, 0], size: 16 },
    Change { since: (12, 1, 1), id: 34, magic: 1, types_nr: [4, 0, 0], size: 32 },
    Change { since: (12, 1, 2), id: 6, magic: 1, types_nr: [7, 0, 0], size: 56 },
    Change { since: (12, 1, 2), id: 11, magic: 2, types_nr: [1, 3, 7], size: 64 },
    Change { since: (12, 1, 7), id: 11, magic: 2, types_nr: [3, 3, 8], size: 80 },
    Change { since: (12, 3, 3), id: 40, magic: 0, types_nr: [1, 3, 0], size: 32 },
    Change { since: (12, 3, 3), id: 41, magic: 0, types_nr: [2, 6, 0], size: 64 },
    Change { since: (12, 3, 3), id: 42, magic: 0, types_nr: [2, 6, 0], size: 64 },
    Change { since: (12, 5, 6), id: 3, magic: 2, types_nr: [0, 0, 1], size: 12 },
    Change { since: (12, 6, 0), id: 39, magic: 0, types_nr: [0, 0, 6], size: 24 },
    Change { since: (12, 7, 2), id: 43, magic: 0, types_nr: [0, 0, 0], size: 3 },
    Change { since: (12, 7, 5), id: 5, magic: 0, types_nr: [0, 10, 0], size: 80 },
    Change { since: (12, 7, 8), id: 7, magic: 1, types_nr: [18, 0, 0], size: 144 },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(c: &str, id: ActivityId) -> Option<(TypesNr, u32)> {
        Compat::parse(c).unwrap().layout(id).map(|l| (l.types_nr, l.size))
    }
    type TypesNr = [u32; 3];

    #[test]
    fn twelve_six_has_the_layouts_debian_writes() {
        assert_eq!(layout("12.6", ActivityId::A_MEMORY), Some(([17, 0, 0], 136)));
        assert_eq!(layout("12.6", ActivityId::A_PAGE), Some(([0, 8, 0], 64)));
        assert_eq!(layout("12.6", ActivityId::A_NET_SOFT), Some(([0, 0, 6], 24)));
        assert_eq!(layout("12.6", ActivityId::A_PWR_BAT), None);
        assert_eq!(Compat::parse("12.6").unwrap().version(), Version::new(12, 6, 2));
    }

    #[test]
    fn a_changed_magic_leaves_the_activity_out() {
        // A_IRQ became per-CPU interrupt counts with a new magic in 12.5.6.
        assert_eq!(layout("12.5.5", ActivityId::A_IRQ), None);
        assert_eq!(layout("12.5.6", ActivityId::A_IRQ), Some(([0, 0, 1], 12)));
        // 11.7.1 used the magics of the 11.x format for every activity.
        assert_eq!(layout("11.7.1", ActivityId::A_CPU), None);
        assert_eq!(layout("11.7", ActivityId::A_CPU), Some(([10, 0, 0], 80)));
        assert_eq!(layout("12.2", ActivityId::A_PSI_CPU), None);
    }

    #[test]
    fn extensions_are_written_for_every_release() {
        for c in ["11.7.1", "12.0", "12.6", "current"] {
            assert_eq!(layout(c, ActivityId::A_CGROUP), Some(([27, 0, 5], 296)), "{c}");
        }
    }

    #[test]
    fn the_newest_release_is_the_current_layout() {
        assert_eq!(Compat::parse("12.7").unwrap(), Compat::Current);
        assert_eq!(Compat::parse("current").unwrap(), Compat::Current);
        for info in crate::activity::sysstat_activities() {
            let last = CHANGES.iter().rfind(|c| c.id == info.id.0).unwrap();
            assert_eq!(Layout::new(last.types_nr, last.size), info.layout, "{}", info.name);
            assert_eq!(ACTIVITY_MAGIC_BASE + last.magic, info.magic, "{}", info.name);
        }
    }

    #[test]
    fn installed_releases_pick_the_newest_known_up_to_them() {
        let v = Version::new;
        assert_eq!(Compat::for_installed(v(12, 6, 1)), Some(Compat::Release(v(12, 6, 1))));
        assert_eq!(Compat::for_installed(v(12, 6, 9)), Some(Compat::Release(v(12, 6, 2))));
        assert_eq!(Compat::for_installed(v(12, 5, 4)), Some(Compat::Release(v(12, 5, 4))));
        assert_eq!(Compat::for_installed(v(12, 7, 0)), None);
        assert_eq!(Compat::for_installed(v(12, 7, 9)), None);
        assert_eq!(Compat::for_installed(v(13, 0, 0)), None);
        assert_eq!(Compat::for_installed(v(11, 6, 4)), None);
    }

    #[test]
    fn unknown_releases_are_refused() {
        for s in ["12.8", "10.1", "12", "12.6.9", "x"] {
            assert!(Compat::parse(s).is_err(), "{s}");
        }
    }
}
