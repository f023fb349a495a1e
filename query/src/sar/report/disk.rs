//! Block devices (`-d`, `--dev`).
//!
//! Devices are named as sar names them on the machine reading the file
//! (see [`names`]).

pub mod names;

use std::io;

use sarkit_format::stats::StatsDisk;
use sarkit_format::ActivityId;

use super::raw::Raw;
use super::values::{f, row_f, Col, Item, Meta, RowSink, Shape};
use super::{Ctx, Report, Slots, FIRST};

/// The columns, sar's and `-d`/`-p`'s first.
const COLS: &[Col] = &[
    f("tps", "tps"),
    f("rkB/s", "rkB"),
    f("wkB/s", "wkB"),
    f("dkB/s", "dkB"),
    f("areq-sz", "areq-sz"),
    f("aqu-sz", "aqu-sz"),
    f("await", "await"),
    f("%util", "util-percent"),
    f("rd_sec/s", "rd_sec"),
    f("wr_sec/s", "wr_sec"),
    f("dc_sec/s", "dc_sec"),
    f("avgrq-sz", "avgrq-sz"),
    f("avgqu-sz", "avgqu-sz"),
];
/// How many columns sar and `-d`/`-p` print.
const SAR_COLS: usize = 8;

/// The item column's header.
const ITEM: &str = "DEV";

const META_B: Meta = Meta {
    fields: crate::fields!(ITEM, COLS.split_at(SAR_COLS).0),
    item_hdr: ITEM,
    group: None,
    tag: "disk",
    item_tag: "disk-device",
    item_key: "disk-device",
    attrs: " per=\"second\"",
    shape: Shape::List,
    // JSON/XML: tps, sectors read/written/discarded, kB, avgrq-sz (sectors),
    // areq-sz, avgqu-sz, aqu-sz, await, util.
    order: &[0, 8, 9, 10, 1, 2, 3, 11, 4, 12, 5, 6, 7],
    cols: COLS,
    dp_cols: SAR_COLS,
    xml: None,
    elements: false,
};
const META: Meta = Meta { xml: Some(&META_XML), ..META_B };
const META_XML: Meta = Meta { item_key: "dev", ..META_B };
use crate::sar::fmt::{
    hdr_item, item_pos, minmax_label, s_value, write_decimals, write_floats, write_percents, Extrema, NameList, Xtrem,
    NO_UNIT, UNIT_KILOBYTE,
};

pub struct Disk {
    s: Slots<StatsDisk>,
    list: Option<Vec<Vec<u8>>>,
    names: names::DevNames,
    x: Extrema,
    xnames: NameList,
}

/// `compute_ext_disk_stats` plus the per-second values of a row.
struct Row {
    tps: f64,
    rkb: f64,
    wkb: f64,
    dkb: f64,
    arqsz: f64,
    aqu: f64,
    await_: f64,
    util: f64,
}

fn compute(c: &StatsDisk, p: &StatsDisk, itv: u64) -> Row {
    let util = if c.tot_ticks < p.tot_ticks { 0.0 } else { s_value(p.tot_ticks as u64, c.tot_ticks as u64, itv) };
    let (await_, arqsz) = if c.nr_ios > p.nr_ios {
        let ios = c.nr_ios.wrapping_sub(p.nr_ios) as f64;
        // Tick differences are C unsigned ints, sector ones unsigned longs.
        let ticks = c
            .rd_ticks
            .wrapping_sub(p.rd_ticks)
            .wrapping_add(c.wr_ticks.wrapping_sub(p.wr_ticks))
            .wrapping_add(c.dc_ticks.wrapping_sub(p.dc_ticks));
        let sect = c
            .rd_sect
            .wrapping_sub(p.rd_sect)
            .wrapping_add(c.wr_sect.wrapping_sub(p.wr_sect))
            .wrapping_add(c.dc_sect.wrapping_sub(p.dc_sect));
        (ticks as f64 / ios, sect as f64 / ios)
    } else {
        (0.0, 0.0)
    };
    Row {
        tps: s_value(p.nr_ios, c.nr_ios, itv),
        rkb: s_value(p.rd_sect, c.rd_sect, itv) / 2.0,
        wkb: s_value(p.wr_sect, c.wr_sect, itv) / 2.0,
        dkb: s_value(p.dc_sect, c.dc_sect, itv) / 2.0,
        arqsz: arqsz / 2.0,
        aqu: s_value(p.rq_ticks as u64, c.rq_ticks as u64, itv) / 1000.0,
        await_,
        util: util / 10.0,
    }
}

impl Disk {
    /// `lookup` says where `/sys`, `/proc` and `/dev` are looked for;
    /// `pretty` is `--pretty`/`-p`/`-h`, which also names device-mapper
    /// devices.
    pub fn new(list: Option<Vec<Vec<u8>>>, lookup: &names::DeviceLookup, pretty: bool) -> Disk {
        Disk {
            s: Slots::new(1),
            list,
            names: names::DevNames::new(lookup, pretty),
            x: Extrema::new(8),
            xnames: NameList::default(),
        }
    }

    /// The name handle of device `i` of `slot`, unless `--dev` leaves it out.
    fn listed(&mut self, slot: usize, i: usize) -> Option<usize> {
        let c = &self.s.buf[slot][i];
        let ni = self.names.index(c.major, c.minor);
        let name = self.names.name(ni);
        match &self.list {
            Some(list) if !list.iter().any(|x| x == name) => None,
            _ => Some(ni),
        }
    }

    /// `check_disk_reg`: the previous sample of device `pos`, if any.
    fn find_prev(&self, curr: usize, rf: usize, pos: usize) -> Option<usize> {
        let n = (self.s.nr[rf].max(0) as usize).min(self.s.buf[rf].len());
        if n == 0 {
            return None;
        }
        let c = &self.s.buf[curr][pos];
        let mut j = pos.min(n - 1);
        let j0 = j;
        loop {
            let p = &self.s.buf[rf][j];
            if c.major == p.major && c.minor == p.minor {
                let again = c.nr_ios < p.nr_ios
                    && (p.rd_sect == 0 || c.rd_sect < p.rd_sect)
                    && (p.wr_sect == 0 || c.wr_sect < p.wr_sect)
                    && (p.dc_sect == 0 || c.dc_sect < p.dc_sect);
                return if again { None } else { Some(j) };
            }
            j = if j + 1 >= n { 0 } else { j + 1 };
            if j == j0 {
                return None;
            }
        }
    }
}

impl Report for Disk {
    crate::slot_access!(s, ActivityId::A_DISK);
    fn reset_extrema(&mut self) {
        self.x.reset(0);
        self.xnames.clear();
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(&META)
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let n = (self.s.nr[curr].max(0) as usize).min(self.s.buf[curr].len());
        for i in 0..n {
            let c = self.s.buf[curr][i];
            let Some(ni) = self.listed(curr, i) else { continue };
            let p = match self.find_prev(curr, prev, i) {
                Some(j) => self.s.buf[prev][j],
                None => StatsDisk::default(),
            };
            let r = compute(&c, &p, itv);
            let v = [
                r.tps,
                r.rkb,
                r.wkb,
                r.dkb,
                r.arqsz,
                r.aqu,
                r.await_,
                r.util,
                r.rkb * 2.0,
                r.wkb * 2.0,
                r.dkb * 2.0,
                r.arqsz * 2.0,
                r.aqu,
            ];
            row_f(sink, Item::Name(self.names.name(ni)), &v)?;
        }
        Ok(())
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let n = (self.s.nr[curr].max(0) as usize).min(self.s.buf[curr].len());
        for i in 0..n {
            let c = self.s.buf[curr][i];
            let Some(ni) = self.listed(curr, i) else { continue };
            let p = self.find_prev(curr, prev, i).map_or_else(StatsDisk::default, |j| self.s.buf[prev][j]);
            r.head_pre(META.fields, 0, format_args!("major; {}; minor; {}; ", c.major, c.minor))?;
            r.bytes(b"; ")?;
            r.bytes(self.names.name(ni))?;
            r.bytes(b";")?;
            r.next_pair(p.nr_ios, c.nr_ios)?;
            r.next_pair(p.rd_sect, c.rd_sect)?;
            r.next_pair(p.wr_sect, c.wr_sect)?;
            r.next_pair(p.dc_sect, c.dc_sect)?;
            r.named_pair("rd_ticks", p.rd_ticks.into(), c.rd_ticks.into())?;
            r.named_pair("wr_ticks", p.wr_ticks.into(), c.wr_ticks.into())?;
            r.named_pair("dc_ticks", p.dc_ticks.into(), c.dc_ticks.into())?;
            r.named_pair("tot_ticks", p.tot_ticks.into(), c.tot_ticks.into())?;
            r.skip(); // areq-sz
            r.next_pair(p.rq_ticks.into(), c.rq_ticks.into())?;
            r.end()?;
        }
        Ok(())
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let d = cx.out.display();
        let avg = prev == FIRST;
        let unit = if d.human { UNIT_KILOBYTE } else { NO_UNIT };
        if (cx.show_header || d.zero_omit) && !(avg && d.minmax) {
            hdr_item(&mut cx.out, &cx.ts[1 - curr.min(1)], META.hdr_names())?;
        }
        let n = (self.s.nr[curr].max(0) as usize).min(self.s.buf[curr].len());
        let zero = StatsDisk::default();
        for i in 0..n {
            let c = self.s.buf[curr][i];
            let Some(ni) = self.listed(curr, i) else { continue };
            let p = match self.find_prev(curr, prev, i) {
                Some(j) => self.s.buf[prev][j],
                None => zero,
            };
            if d.zero_omit && p == c {
                continue;
            }
            let r = compute(&c, &p, itv);
            let name = self.names.name(ni);
            if d.minmax {
                let k = self.xnames.pos(name);
                if !avg {
                    let tps = if c.nr_ios < p.nr_ios { 0.0 } else { r.tps };
                    for (col, v) in [tps, r.rkb, r.wkb, r.dkb, r.arqsz, r.aqu, r.await_, r.util].into_iter().enumerate()
                    {
                        self.x.save(k, col, v);
                    }
                } else {
                    hdr_item(&mut cx.out, &cx.ts[1 - curr.min(1)], META.hdr_names())?;
                    for ismax in [false, true] {
                        let w = &mut cx.out;
                        minmax_label(w, ismax)?;
                        item_pos(w, name, false)?;
                        let x = self.x.row(k, ismax);
                        let x = [x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]];
                        write_decimals(w, &x[..1])?;
                        write_floats(w, unit, 2, &x[1..5])?;
                        write_decimals(w, &x[5..7])?;
                        write_percents(w, Xtrem::High, 2, &x[7..8])?;
                        item_pos(w, name, true)?;
                        w.write_all(b"\n")?;
                    }
                }
            }
            let w = &mut cx.out;
            cx.ts[curr.min(1)].write_padded(w)?;
            item_pos(w, name, false)?;
            write_decimals(w, &[r.tps])?;
            write_floats(w, unit, 2, &[r.rkb, r.wkb, r.dkb, r.arqsz])?;
            write_decimals(w, &[r.aqu, r.await_])?;
            write_percents(w, Xtrem::High, 2, &[r.util])?;
            item_pos(w, name, true)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_device_is_dev_major_minor() {
        let t = tempfile::tempdir().unwrap();
        let mut d = Disk::new(None, &names::DeviceLookup::under(t.path(), false), false);
        assert_eq!(d.names.get(8, 16), b"dev8-16");
        let mut d = Disk::new(None, &names::DeviceLookup::default(), false);
        assert_eq!(d.names.get(8, 0), b"dev8-0");
        let mut d = Disk::new(None, &names::DeviceLookup { root: None, local_ioconf: true }, false);
        assert_eq!(d.names.get(8, 0), b"sda");
    }

    #[test]
    fn await_and_request_size() {
        let p = StatsDisk { nr_ios: 10, rd_sect: 100, rd_ticks: 5, ..Default::default() };
        let c = StatsDisk { nr_ios: 20, rd_sect: 300, rd_ticks: 25, tot_ticks: 50, ..Default::default() };
        let r = compute(&c, &p, 100);
        assert_eq!((r.tps, r.rkb, r.arqsz, r.await_, r.util), (10.0, 100.0, 10.0, 2.0, 5.0));
    }
}
