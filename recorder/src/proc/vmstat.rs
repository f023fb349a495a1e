//! /proc/vmstat: A_SWAP and A_PAGE, in pages (pgpgin/pgpgout in kB).

use sarkit_format::stats::{StatsPaging, StatsSwap};

use super::scan::{fgets_lines, Scan};

const LINE: usize = 128;

pub fn parse(data: &[u8]) -> (StatsSwap, StatsPaging) {
    let mut sw = StatsSwap::default();
    let mut pg = StatsPaging::default();
    // Only the first run of pgsteal_* lines counts, as in sadc.
    let (mut steal_started, mut steal_ended) = (false, false);
    for line in fgets_lines(data, LINE) {
        let mut words = Scan::new(line);
        match words.peek() {
            None => continue,
            // Every key used starts with 'p': another line only ends a run of pgsteal_ lines.
            Some(c) if c != b'p' => {
                steal_ended |= steal_started;
                continue;
            }
            Some(_) => {}
        }
        let Some(key) = words.word(usize::MAX) else { continue };
        // The value is read only for the keys that use it.
        let value = || words.clone().u64();
        let is_steal = key.starts_with(b"pgsteal_");
        let add = |slot: &mut u64| *slot = slot.wrapping_add(value().unwrap_or(0));
        match key {
            b"pswpin" => sw.pswpin = value().unwrap_or(sw.pswpin),
            b"pswpout" => sw.pswpout = value().unwrap_or(sw.pswpout),
            b"pgpgin" => pg.pgpgin = value().unwrap_or(pg.pgpgin),
            b"pgpgout" => pg.pgpgout = value().unwrap_or(pg.pgpgout),
            b"pgfault" => pg.pgfault = value().unwrap_or(pg.pgfault),
            b"pgmajfault" => pg.pgmajfault = value().unwrap_or(pg.pgmajfault),
            b"pgfree" => pg.pgfree = value().unwrap_or(pg.pgfree),
            b"pgpromote_success" => pg.pgpromote = value().unwrap_or(pg.pgpromote),
            _ if is_steal && !steal_ended => {
                steal_started = true;
                add(&mut pg.pgsteal);
            }
            _ if key.starts_with(b"pgscan_kswapd") => add(&mut pg.pgscan_kswapd),
            _ if key.starts_with(b"pgscan_direct") => add(&mut pg.pgscan_direct),
            _ if key.starts_with(b"pgdemote_") => add(&mut pg.pgdemote),
            _ => {}
        }
        if !is_steal && steal_started {
            steal_ended = true;
        }
    }
    (sw, pg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_swap_and_paging() {
        let (sw, pg) = parse(
            b"pgpgin 100\npgpgout 200\npswpin 3\npswpout 4\npgfault 5\npgmajfault 6\npgfree 7\n\
pgsteal_kswapd 10\npgsteal_direct 20\npgscan_kswapd 30\npgsteal_khugepaged 99\n\
pgscan_direct 40\npgscan_direct_throttle 1\npgpromote_success 8\npgdemote_kswapd 2\npgdemote_direct 3\n",
        );
        assert_eq!((sw.pswpin, sw.pswpout), (3, 4));
        assert_eq!((pg.pgpgin, pg.pgpgout, pg.pgfault, pg.pgmajfault, pg.pgfree), (100, 200, 5, 6, 7));
        assert_eq!(pg.pgsteal, 30, "a later pgsteal_ line is not counted");
        assert_eq!((pg.pgscan_kswapd, pg.pgscan_direct), (30, 41));
        assert_eq!((pg.pgpromote, pg.pgdemote), (8, 5));
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let (sw, pg) = parse(b"pswpin\npswpout x\n\n   \npgfree 9 extra\n");
        assert_eq!((sw.pswpin, sw.pswpout, pg.pgfree), (0, 0, 9));
    }
}
