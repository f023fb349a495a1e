//! sadf's `-O` choices that change a picture, and its colour palettes.

/// What `-O` asked for. The query side also reads `show_idle` (it decides
/// whether a `%idle` series exists); the renderer itself does not.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// `autoscale`: in a line view, enlarge small series by 10, 100, …
    pub autoscale: bool,
    /// `height=N`: the canvas height, whatever the graphs need.
    pub height: Option<u32>,
    /// `oneday`: the time axis covers the whole day from local midnight.
    pub one_day: bool,
    /// `packed`: the views of one item side by side on one row.
    pub packed: bool,
    pub show_idle: bool,
    /// `showinfo`: host name and date on every view.
    pub show_info: bool,
    /// `showtoc`: links to each activity's first view at the top.
    pub show_toc: bool,
    /// `skipempty`: leave out views whose values are all (nearly) zero.
    pub skip_empty: bool,
    /// `bwcol`, `customcol` or the default.
    pub palette: Palette,
    /// Added to every time stamp before it is shown or midnight is found:
    /// 0 for sadf's default UTC; the local offset for `-T`; for `-t`, the
    /// file's own offset. One fixed offset per picture (a DST change within
    /// the day shifts the later labels by an hour).
    pub tz_offset: i64,
    /// Shown under the time axis (`UTC`, or the zone's abbreviation).
    pub tz_name: String,
    /// PNG text is drawn: a font is registered ([`register_font`](crate::register_font)).
    /// Without one a PNG has its graphs but no text.
    pub png_text: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            autoscale: false,
            height: None,
            one_day: false,
            packed: false,
            show_idle: false,
            show_info: false,
            show_toc: false,
            skip_empty: false,
            palette: Palette::default(),
            tz_offset: 0,
            tz_name: "UTC".to_string(),
            png_text: false,
        }
    }
}

/// Colours as 0xRRGGBB, in sysstat's order and meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// The sixteen series colours.
    pub series: [u32; 16],
    pub background: u32,
    pub axis: u32,
    pub grid: u32,
    pub title: u32,
    pub info: u32,
    /// The root element's stroke.
    pub default: u32,
    pub header: u32,
    pub error: u32,
    /// Every view starts again at the first series colour (`bwcol`).
    pub restart_per_view: bool,
}

impl Default for Palette {
    fn default() -> Self {
        Palette {
            series: [
                0x00cc00, 0xff00bf, 0x00ffff, 0xff0000, 0xe85f00, 0x0000ff, 0x006020, 0x7030a0, 0xffff00, 0x666635,
                0xd60093, 0x00bfbf, 0xcc3300, 0x50040f, 0xffffbf, 0x193d55,
            ],
            background: 0x000000,
            axis: 0xffffff,
            grid: 0x202020,
            title: 0xffff00,
            info: 0xffff00,
            default: 0x808080,
            header: 0xa52a2a,
            error: 0xff0000,
            restart_per_view: false,
        }
    }
}

impl Palette {
    /// What `bwcol` and `customcol` share: black text and axes on white,
    /// a grey grid; they differ in their series colours.
    fn black_on_white(series: [u32; 16], restart_per_view: bool) -> Palette {
        Palette {
            series,
            background: 0xffffff,
            axis: 0x000000,
            grid: 0xbebebe,
            title: 0x000000,
            info: 0x000000,
            default: 0x000000,
            header: 0x000000,
            error: 0x000000,
            restart_per_view,
        }
    }

    /// `-O bwcol`. Every view starts at the first grey, as in sadf.
    pub fn black_and_white() -> Palette {
        Palette::black_on_white(
            [
                0x696969, 0xbebebe, 0x000000, 0xa9a9a9, 0x708090, 0xc0c0c0, 0x808080, 0xd3d3d3, 0x909090, 0x696969,
                0xbebebe, 0x000000, 0x000000, 0xa9a9a9, 0xc0c0c0, 0x808080,
            ],
            true,
        )
    }

    /// `-O customcol`: sysstat's custom palette, changed by the value of
    /// `S_COLORS_PALETTE` (`0=000000:G=bebebe:…`); malformed entries are
    /// ignored, as sadf does.
    pub fn custom(s_colors_palette: Option<&str>) -> Palette {
        let mut p = Palette::black_on_white(
            [
                0x000000, 0x1a1aff, 0x1affb2, 0xb21aff, 0x1ab2ff, 0xff1a1a, 0xffb31a, 0xb2ff1a, 0xefefef, 0x000000,
                0x1a1aff, 0x1affb2, 0xb21aff, 0x1ab2ff, 0xff1a1a, 0xffb31a,
            ],
            false,
        );
        for e in s_colors_palette.unwrap_or("").split(':') {
            let b = e.as_bytes();
            if !(3..=8).contains(&b.len()) || b[1] != b'=' || !b[2..].iter().all(u8::is_ascii_hexdigit) {
                continue;
            }
            let Ok(v) = u32::from_str_radix(&e[2..], 16) else { continue };
            let slot = match b[0] {
                c @ b'0'..=b'9' => &mut p.series[(c - b'0') as usize],
                c @ (b'A'..=b'F' | b'a'..=b'f') => &mut p.series[((c & 0xf) + 9) as usize],
                b'G' => &mut p.grid,
                b'H' => &mut p.header,
                b'I' => &mut p.info,
                b'K' => &mut p.background,
                b'L' => &mut p.default,
                b'T' => &mut p.title,
                b'W' => &mut p.error,
                b'X' => &mut p.axis,
                _ => continue,
            };
            *slot = v;
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_palette_reads_env_and_ignores_junk() {
        let p = Palette::custom(Some("0=ff0000:A=00ff00:G=123456:Z=111111:3=xyz:4=1234567890:K"));
        assert_eq!(p.series[0], 0xff0000);
        assert_eq!(p.series[10], 0x00ff00);
        assert_eq!(p.grid, 0x123456);
        assert_eq!(p.series[3], 0xb21aff);
        assert_eq!(p.series[4], 0x1ab2ff);
        assert_eq!(Palette::custom(None).background, 0xffffff);
    }
}
