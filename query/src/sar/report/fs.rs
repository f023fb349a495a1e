//! Filesystems (`-F [MOUNT]`, `--fs`).
//!
//! The "Average" of a filesystem is its last printed sample ("Summary:"),
//! kept per filesystem name in slot [`FIRST`] as sar keeps it in `buf[2]`.

use std::io;

use sarkit_format::stats::StatsFilesystem;
use sarkit_format::ActivityId;

use super::raw::Raw;
use super::values::{f, r, u, Col, Item, Meta, RowSink, Shape, Val};
use super::{Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{
    hdr, item_tail, minmax_lines, sp_value, write_floats, write_percents, write_uints, Extrema, NameList, Xtrem,
    NO_UNIT, UNIT_BYTE,
};
use crate::sar::timefmt::Stamp;

const COLS: &[Col] = &[
    r("MBfsfree", "MBfsfree"),
    r("MBfsused", "MBfsused"),
    f("%fsused", "%fsused"),
    f("%ufsused", "%ufsused"),
    u("Ifree", "Ifree"),
    u("Iused", "Iused"),
    f("%Iused", "%Iused"),
];
const COLS_XML: &[Col] = &[
    r("MBfsfree", "MBfsfree"),
    r("MBfsused", "MBfsused"),
    f("%fsused", "fsused-percent"),
    f("%ufsused", "ufsused-percent"),
    u("Ifree", "Ifree"),
    u("Iused", "Iused"),
    f("%Iused", "Iused-percent"),
];
const META_FS_B: Meta = crate::table!(
    "FILESYSTEM",
    COLS,
    Meta::EMPTY,
    tag: "filesystems",
    item_tag: "filesystem",
    item_key: "filesystem",
    shape: Shape::List,
);
const META_FS: Meta = Meta { xml: Some(&META_FS_XML), ..META_FS_B };
const META_FS_XML: Meta = Meta { item_key: "fsname", cols: COLS_XML, ..META_FS_B };
const META_MNT_B: Meta = crate::table!("MOUNTPOINT", COLS, META_FS_B, item_key: "mountpoint");
const META_MNT: Meta = Meta { xml: Some(&META_MNT_XML), ..META_MNT_B };
const META_MNT_XML: Meta = Meta { item_key: "mountp", cols: COLS_XML, ..META_MNT_B };

pub struct Fs {
    s: Slots<StatsFilesystem>,
    list: Option<Vec<Vec<u8>>>,
    mount: bool,
    x: Extrema,
    xnames: NameList,
}

impl Fs {
    pub fn new(list: Option<Vec<Vec<u8>>>, mount: bool) -> Fs {
        Fs { s: Slots::new(1), list, mount, x: Extrema::new(7), xnames: NameList::default() }
    }

    fn name<'a>(&self, f: &'a StatsFilesystem) -> &'a [u8] {
        if self.mount {
            f.mountp.as_bytes()
        } else {
            f.fs_name.as_bytes()
        }
    }

    fn find_prev(&self, prev: usize, i: usize, c: &StatsFilesystem) -> Option<usize> {
        self.s.find(prev, i, |p| p.fs_name.as_bytes() == c.fs_name.as_bytes())
    }

    fn rows(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, avg: bool) -> io::Result<()> {
        let d = cx.out.display();
        let unit = if d.human { UNIT_BYTE } else { NO_UNIT };
        let fields = if self.mount { META_MNT.hdr_names() } else { META_FS.hdr_names() };
        let summary = Stamp::text("Summary:");
        if (cx.show_header || d.zero_omit) && !(avg && d.minmax) {
            hdr(&mut cx.out, if avg { &summary } else { &cx.ts[1 - curr.min(1)] }, fields.clone(), -1)?;
        }
        for i in 0..self.s.count(curr) {
            let c = self.s.buf[curr][i];
            let name = self.name(&c);
            if let Some(list) = &self.list {
                if !list.iter().any(|x| x.as_slice() == name) {
                    continue;
                }
            }
            if d.zero_omit && !avg {
                if let Some(j) = self.find_prev(prev, i, &c) {
                    let p = &self.s.buf[prev][j];
                    // STATS_FILESYSTEM_SIZE2CMP: the counters only.
                    if (p.f_blocks, p.f_bfree, p.f_bavail, p.f_files, p.f_ffree)
                        == (c.f_blocks, c.f_bfree, c.f_bavail, c.f_files, c.f_ffree)
                    {
                        continue;
                    }
                }
            }
            let used = c.f_blocks.wrapping_sub(c.f_bfree);
            let (free_v, used_v) = if unit < 0 {
                (c.f_bfree as f64 / 1024.0 / 1024.0, used as f64 / 1024.0 / 1024.0)
            } else {
                (c.f_bfree as f64, used as f64)
            };
            let fsused = if c.f_blocks != 0 { sp_value(c.f_bfree, c.f_blocks, c.f_blocks) } else { 0.0 };
            let ufsused = if c.f_blocks != 0 { sp_value(c.f_bavail, c.f_blocks, c.f_blocks) } else { 0.0 };
            let iused = if c.f_files != 0 { sp_value(c.f_ffree, c.f_files, c.f_files) } else { 0.0 };
            let inodes_used = c.f_files.wrapping_sub(c.f_ffree);
            if d.minmax {
                let k = self.xnames.pos(name);
                if !avg {
                    self.x.save_row(k, &[free_v, used_v, fsused, ufsused, c.f_ffree as f64, inodes_used as f64, iused]);
                } else {
                    hdr(&mut cx.out, &summary, fields.clone(), -1)?;
                    minmax_lines(&mut cx.out, |w, ismax| {
                        let x = self.x.row(k, ismax);
                        write_floats(w, unit, 0, &x[..2])?;
                        write_percents(w, Xtrem::High, 2, &x[2..4])?;
                        write_uints(w, NO_UNIT, &[x[4] as u64, x[5] as u64])?;
                        write_percents(w, Xtrem::High, 2, &x[6..7])?;
                        item_tail(w, name)
                    })?;
                }
            }
            if avg {
                Stamp::text(if d.minmax { "Last:" } else { "Summary:" }).write_padded(&mut cx.out)?;
            } else {
                cx.stamp(curr)?;
            }
            let w = &mut cx.out;
            write_floats(w, unit, 0, &[free_v, used_v])?;
            write_percents(w, Xtrem::High, 2, &[fsused, ufsused])?;
            write_uints(w, NO_UNIT, &[c.f_ffree, inodes_used])?;
            write_percents(w, Xtrem::High, 2, &[iused])?;
            item_tail(w, name)?;
            w.write_all(b"\n")?;
            if !avg {
                self.remember(&c);
            }
        }
        Ok(())
    }

    /// Save a printed filesystem in the summary slot, by name.
    fn remember(&mut self, c: &StatsFilesystem) {
        let alloc = self.s.buf[FIRST].len();
        let mut j = 0;
        while j < alloc {
            let m = &self.s.buf[FIRST][j];
            if m.fs_name.as_bytes() == c.fs_name.as_bytes() || m.f_blocks == 0 {
                break;
            }
            j += 1;
        }
        if j == alloc {
            self.s.ensure(j + 1);
        }
        self.s.buf[FIRST][j] = *c;
        if j as i64 >= self.s.nr[FIRST] {
            self.s.nr[FIRST] = j as i64 + 1;
        }
    }
}

impl Report for Fs {
    crate::slot_access!(s, ActivityId::A_FS);
    fn reset_extrema(&mut self) {
        self.x.reset(0);
        self.xnames.clear();
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(if self.mount { &META_MNT } else { &META_FS })
    }
    fn raw(&mut self, _prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        for c in self.s.items(curr) {
            let name = self.name(c);
            if self.list.as_ref().is_some_and(|l| !l.iter().any(|x| x.as_slice() == name)) {
                continue;
            }
            r.head(self.meta().map_or("", |m| m.fields), 0)?;
            r.bytes(b"; \"")?;
            r.bytes(name)?;
            r.bytes(b"\";")?;
            r.named_value("f_bfree", c.f_bfree)?;
            r.named_value("f_blocks", c.f_blocks)?;
            r.named_value("f_bavail", c.f_bavail)?;
            for _ in 0..4 {
                r.skip();
            }
            r.next_value(c.f_ffree)?;
            r.named_value("f_files", c.f_files)?;
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, _prev: usize, curr: usize, _itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        for c in self.s.items(curr) {
            let name = self.name(c);
            if self.list.as_ref().is_some_and(|l| !l.iter().any(|x| x.as_slice() == name)) {
                continue;
            }
            let pct = |m: u64, tot: u64| if tot != 0 { sp_value(m, tot, tot) } else { 0.0 };
            let v = [
                Val::R(c.f_bfree as f64 / 1024.0 / 1024.0),
                Val::R(c.f_blocks.wrapping_sub(c.f_bfree) as f64 / 1024.0 / 1024.0),
                Val::F(pct(c.f_bfree, c.f_blocks)),
                Val::F(pct(c.f_bavail, c.f_blocks)),
                Val::U(c.f_ffree),
                Val::U(c.f_files.wrapping_sub(c.f_ffree)),
                Val::F(pct(c.f_ffree, c.f_files)),
            ];
            sink.row(Item::Name(name), &v)?;
        }
        Ok(())
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, _itv: u64) -> io::Result<()> {
        self.rows(cx, prev, curr, false)
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, _curr: usize, _itv: u64) -> io::Result<()> {
        self.rows(cx, FIRST, FIRST, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sarkit_format::stats::CChars;

    #[test]
    fn summary_keeps_last_sample_per_name() {
        let mut f = Fs::new(None, false);
        let a = StatsFilesystem { f_blocks: 10, fs_name: CChars::new("/dev/a"), ..Default::default() };
        let b = StatsFilesystem { f_blocks: 20, fs_name: CChars::new("/dev/b"), ..Default::default() };
        f.s.buf[FIRST][0] = StatsFilesystem::default();
        f.s.nr[FIRST] = 0;
        f.remember(&a);
        f.remember(&b);
        f.remember(&StatsFilesystem { f_blocks: 11, ..a });
        assert_eq!(f.s.nr[FIRST], 2);
        assert_eq!(f.s.buf[FIRST][0].f_blocks, 11);
    }
}
