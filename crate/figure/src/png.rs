//! Panels as PNG files (feature `bitmap`, the native command): plotters' bitmap backend, whose text
//! is drawn with ab_glyph from a TrueType font file registered at run time.
//!
//! The font is DejaVu Sans, the font whose widths [`crate::surface`] lays text out with: Debian's
//! `fonts-dejavu-core` puts it at [`DEJAVU_SANS`] (`cargo xtask setup` installs it); `EOSLAB_FONT`
//! names another file. Nothing else is looked up: no font-kit, no fontconfig, no system font
//! service, so a PNG comes out the same offline on any machine with that file.

use std::path::{Path, PathBuf};

use eoslab_core::Output;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::svg::{check_size, stack, SIZE};
use crate::{FigureError, Medium, Options, Surface};

/// Where Debian's fonts-dejavu-core installs DejaVu Sans.
pub const DEJAVU_SANS: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// The font file PNGs are drawn with: `EOSLAB_FONT` if set, else [`DEJAVU_SANS`].
pub fn font_path() -> PathBuf {
    std::env::var_os("EOSLAB_FONT").map_or_else(|| PathBuf::from(DEJAVU_SANS), PathBuf::from)
}

/// Registers the font file at `path` as plotters' "sans-serif" (once per process: the bytes live
/// as long as the program).
pub fn register_font(path: &Path) -> Result<(), FigureError> {
    static REGISTERED: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    let outcome = REGISTERED.get_or_init(|| {
        let missing = |e: std::io::Error| {
            format!(
                "a PNG needs the TrueType font {} ({e}): install it with `apt-get install fonts-dejavu-core` (or `cargo xtask setup`), or name another .ttf file in EOSLAB_FONT",
                path.display()
            )
        };
        let bytes: &'static [u8] = Box::leak(std::fs::read(path).map_err(missing)?.into_boxed_slice());
        plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).map_err(|_| format!("{} is not a TrueType font", path.display()))
    });
    outcome.clone().map_err(|m| FigureError::new("font", m))
}

/// Writes the panels `panels` of `result`, stacked top to bottom, each `width × height` pixels, as
/// a PNG file at `path`.
pub fn panels_png(panels: &[&str], result: &Output, width: u32, height: u32, options: &Options, path: &Path) -> Result<(), FigureError> {
    check_size(width, height)?;
    let total = height
        .checked_mul(panels.len() as u32)
        .filter(|&h| h <= *SIZE.end())
        .ok_or_else(|| FigureError::new("panel", format!("{} panels of {height} pixels exceed {} pixels", panels.len(), SIZE.end())))?;
    register_font(&font_path())?;
    let area = Surface::new(BitMapBackend::new(path, (width, total)), Medium::Bitmap).into_drawing_area();
    stack(&area, panels, result, options, Medium::Bitmap)?;
    area.present().map_err(|e| FigureError::new("output", format!("writing {}: {e}", path.display())))
}
