//! Several data files read as one query (`rsar -f A -f B`, `rsadf -d A B`,
//! `--from`/`--to` over a folder's daily files).
//!
//! sysstat reads one file at a time. To report a week, the files must be of
//! one machine, and every report must be in each of them, or the Average
//! would mix machines or cover part of the span: [`open_files`] checks
//! both before anything is printed. The records are then read in the
//! order given as one stream ([`crate::walk::Cursor::chain`]).

use std::io::{self, Write};

use sarkit_format::daily::{self, Day};
use sarkit_format::{ActivityId, FileInfo, SaFile};

use crate::daily::DailyLookup;

use crate::sar::options::Options;

/// The host a file was recorded on (its header's nodename).
pub fn nodename(info: &FileInfo) -> String {
    let n = &info.header.sa_nodename;
    let end = n.iter().position(|&b| b == 0).unwrap_or(n.len());
    String::from_utf8_lossy(&n[..end]).into_owned()
}

/// The message for files of two hosts in one query, if any: a week of one
/// machine's files may not contain another machine's day.
pub fn host_mismatch(files: &[(&str, &FileInfo)]) -> Option<String> {
    let (first_path, first) = files.first()?;
    let host = nodename(first);
    files.iter().skip(1).find(|(_, info)| nodename(info) != host).map(|(path, info)| {
        format!(
            "Files from different hosts cannot be read as one: {first_path} is from host {host}, {path} from host {}\n",
            nodename(info)
        )
    })
}

/// The selected activities some of `files` lack, each with the files
/// lacking it. An activity no file has is not listed: as with one file,
/// sar's `check_file_actlst` drops it without a word.
pub fn partly_missing(files: &[(&str, &FileInfo)], o: &Options) -> Vec<(ActivityId, Vec<String>)> {
    o.selected_ids()
        .filter_map(|id| {
            let lacking: Vec<String> =
                files.iter().filter(|(_, info)| !info.has_activity(id)).map(|(p, _)| p.to_string()).collect();
            (!lacking.is_empty() && lacking.len() < files.len()).then_some((id, lacking))
        })
        .collect()
}

/// Open the one file of a query, as sar and sadf do: sysstat's message and
/// status when it cannot be read (with sysstat's hint when it was the
/// day's file, chosen by default, and is missing), the note for an old
/// format, then the selection narrowed to what the file has, and exit 4
/// for an activity too large. Returns the file, or the exit status once
/// the reason is on `err`.
pub fn open_file(
    progname: &str,
    path: &str,
    default_used: bool,
    o: &mut Options,
    err: &mut dyn Write,
) -> io::Result<Result<SaFile, i32>> {
    let f = match SaFile::open_with(path, crate::open_options()) {
        Ok(f) => f,
        Err(e) => {
            let (msg, code) = e.sysstat_report(path);
            err.write_all(msg.as_bytes())?;
            if default_used && matches!(&e, sarkit_format::Error::Io(io) if io.kind() == io::ErrorKind::NotFound) {
                // sa_open_read_magic's hint.
                writeln!(err, "Please check if data collecting is enabled")?;
            }
            return Ok(Err(code));
        }
    };
    if let Some(note) = crate::old_format_note(progname, path, &f.info) {
        err.write_all(note.as_bytes())?;
    }
    if !o.keep_available(|id| f.info.has_activity(id)) {
        writeln!(err, "Requested activities not available in file {path}")?;
        return Ok(Err(1));
    }
    if let Some(msg) = crate::oversized_activity(&f.info, path) {
        err.write_all(msg.as_bytes())?;
        return Ok(Err(4));
    }
    Ok(Ok(f))
}

/// Open every file of a query of several, check that they are one host's
/// and unselect from `o` the activities not in all of them (with a note on
/// `err` for those some have). Returns the first file, open, or the exit
/// status once the reason is on `err`. The files come back in time order
/// with the first of them open; the others are opened again as the walk
/// reaches them.
pub fn open_files(
    progname: &str,
    paths: &[String],
    o: &mut Options,
    err: &mut dyn Write,
) -> io::Result<Result<(Vec<String>, SaFile), i32>> {
    let mut opened: Vec<SaFile> = Vec::with_capacity(paths.len());
    for path in paths {
        match SaFile::open_with(path, crate::open_options()) {
            Ok(f) => {
                if let Some(note) = crate::old_format_note(progname, path, &f.info) {
                    err.write_all(note.as_bytes())?;
                }
                opened.push(f);
            }
            Err(e) => {
                let (msg, code) = e.sysstat_report(path);
                err.write_all(msg.as_bytes())?;
                return Ok(Err(code));
            }
        }
    }
    let infos: Vec<(&str, &FileInfo)> = paths.iter().map(String::as_str).zip(opened.iter().map(|f| &f.info)).collect();
    if let Some(msg) = host_mismatch(&infos) {
        writeln!(err, "{progname}: {}", msg.trim_end())?;
        return Ok(Err(1));
    }
    for (id, lacking) in partly_missing(&infos, o) {
        writeln!(
            err,
            "{progname}: {} is left out: not in {} (reports cover only what every file has)",
            crate::registry::flag_of(id),
            lacking.join(", ")
        )?;
    }
    if !o.keep_available(|id| infos.iter().all(|(_, info)| info.has_activity(id))) {
        writeln!(err, "Requested activities not available in files {}", paths.join(", "))?;
        return Ok(Err(1));
    }
    for (path, info) in &infos {
        if let Some(msg) = crate::oversized_activity(info, path) {
            err.write_all(msg.as_bytes())?;
            return Ok(Err(4));
        }
    }
    drop(infos);
    // Time order, whatever the order named: by when each file was started
    // (its header's time; equal times keep the order given).
    let mut order: Vec<(String, SaFile)> = paths.iter().cloned().zip(opened).collect();
    order.sort_by_key(|(_, f)| f.info.header.sa_ust_time);
    let sorted: Vec<String> = order.iter().map(|(p, _)| p.clone()).collect();
    let first = order.swap_remove(0).1;
    Ok(Ok((sorted, first)))
}

/// The daily files of `from` to `to` (`--from`/`--to`) in `dir` (or the
/// default folders), oldest first, or the exit status once the reason is on
/// `err`. A `saDD` file whose header is of another month's day is not that
/// day's: the name comes back every month.
pub fn files_of_days(
    progname: &str,
    lookup: &DailyLookup,
    dir: Option<&str>,
    from: Day,
    to: Option<Day>,
    err: &mut dyn Write,
) -> io::Result<Result<Vec<String>, i32>> {
    let to = to.unwrap_or_else(|| lookup.day(0));
    let show = |d: Day| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
    let Some(found) = lookup.files_between(dir, from, to) else {
        writeln!(err, "{progname}: {} to {} is more days than can be read", show(from), show(to))?;
        return Ok(Err(1));
    };
    let mut paths = Vec::with_capacity(found.len());
    for (day, path) in found {
        let name = std::path::Path::new(&path).file_name().and_then(|n| n.to_str()).unwrap_or("");
        let by_day_of_month = daily::parse_name(name).is_some_and(|n| n.date.is_none());
        if by_day_of_month {
            if let Ok(f) = SaFile::open_with(&path, crate::open_options()) {
                if !lookup.dated(f.info.header.sa_ust_time, day) {
                    // Another month's file: that day has none.
                    continue;
                }
            }
        }
        paths.push(path);
    }
    if paths.is_empty() {
        let folder = dir.map_or_else(|| daily::write_dir(lookup.sa_dir.as_deref()).to_string(), str::to_string);
        writeln!(err, "{progname}: no daily file from {} to {} in {folder}", show(from), show(to))?;
        return Ok(Err(2));
    }
    Ok(Ok(paths))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info_of(path: &str) -> FileInfo {
        SaFile::open_with(path, crate::open_options()).unwrap().info
    }

    #[test]
    fn hosts_must_agree_and_the_message_names_both() {
        let a = info_of(sarkit_testkit::testdata("sa-debian-12.6.1-xall").to_str().unwrap());
        let mut b = a.clone();
        b.header.sa_nodename = [0; sarkit_format::header::UTSNAME_LEN];
        b.header.sa_nodename[..5].copy_from_slice(b"other");
        assert_eq!(host_mismatch(&[("A", &a), ("A2", &a)]), None);
        let msg = host_mismatch(&[("A", &a), ("B", &b)]).unwrap();
        assert!(msg.contains(&format!("A is from host {}", nodename(&a))), "{msg}");
        assert!(msg.contains("B from host other"), "{msg}");
    }

    #[test]
    fn an_activity_some_files_lack_is_listed_with_them() {
        let a = info_of(sarkit_testkit::testdata("sa-debian-12.6.1-xall").to_str().unwrap());
        let mut b = a.clone();
        b.activities.retain(|fa| fa.id != ActivityId::A_NET_DEV.0);
        let mut o = Options::default();
        o.select(ActivityId::A_CPU);
        o.select(ActivityId::A_NET_DEV);
        assert_eq!(partly_missing(&[("A", &a), ("B", &b)], &o), vec![(ActivityId::A_NET_DEV, vec!["B".to_string()])]);
        // Missing everywhere: dropped silently, as with one file.
        assert!(partly_missing(&[("B", &b), ("B2", &b)], &o).is_empty());
    }
}
