//! Text in PNG charts laid out as a typesetter would: each glyph placed at its pen position
//! plus its side bearing, with fractional advances and kerning carried along the line.
//!
//! plotters' bitmap text drops each glyph's left side bearing and rounds the pen position per
//! glyph, which reads as uneven letter spacing ("an swered", "w ait"). [`Typeset`] wraps a
//! drawing backend, passes every call through, and draws text itself, from the same embedded
//! font, at the em size the SVG backend writes (`size / 1.24` pixels), so a PNG and an SVG of
//! one chart show text of the same size. Layout estimates stay plotters' own, identical for
//! both formats, so both lay a chart out alike. The wrapper is also where a raster's thick
//! lines are mended before plotters draws them ([`super::stroke`]).

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// The SVG backend writes `font-size = size / 1.24`; text here is drawn at that em size.
const SVG_EM_RATIO: f32 = 1.24;

/// A backend whose text is drawn by [`draw_text`](Typeset::draw_text) below when `raster`.
pub(super) struct Typeset<B> {
    inner: B,
    font: Option<FontRef<'static>>,
    /// Whether `inner` draws pixels: its thick lines then go through [`super::stroke`].
    raster: bool,
}

impl<B: DrawingBackend> Typeset<B> {
    /// Wraps a raster backend: text is typeset here with `font`.
    pub(super) fn raster(inner: B, font: &'static [u8]) -> Typeset<B> {
        Typeset { inner, font: FontRef::try_from_slice(font).ok(), raster: true }
    }

    /// Wraps a vector backend: text stays text, written by the backend.
    pub(super) fn vector(inner: B) -> Typeset<B> {
        Typeset { inner, font: None, raster: false }
    }
}

/// Where each glyph of `text` goes at `scale`, from a pen starting at 0 on the baseline:
/// (glyph id, pen x). Kerning and fractional advances accumulate; nothing is rounded here.
fn pen_positions(
    font: &FontRef<'static>,
    scale: PxScale,
    text: &str,
) -> (Vec<(ab_glyph::GlyphId, f32)>, f32) {
    let scaled = font.as_scaled(scale);
    let mut x = 0.0f32;
    let mut prev = None;
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            x += scaled.kern(p, id);
        }
        out.push((id, x));
        x += scaled.h_advance(id);
        prev = Some(id);
    }
    (out, x)
}

/// The pixel scale at which the font's em is `size / 1.24` pixels, as in the SVG.
fn scale_for(font: &FontRef<'static>, size: f64) -> PxScale {
    let em_px = size as f32 / SVG_EM_RATIO;
    let units_per_em = font.units_per_em().unwrap_or(2048.0);
    let height_units = font.height_unscaled();
    PxScale::from(em_px * height_units / units_per_em)
}

impl<B: DrawingBackend> DrawingBackend for Typeset<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        if self.raster && style.stroke_width() > 1 {
            return self.inner.draw_path(super::stroke::without_straight_joints(path), style);
        }
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<B::ErrorType>> {
        self.inner.estimate_text_size(text, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let Some(font) = self.font.clone() else { return self.inner.draw_text(text, style, pos) };
        let color = style.color();
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let scale = scale_for(&font, style.size());
        let scaled = font.as_scaled(scale);
        let (glyphs, width) = pen_positions(&font, scale, text);
        // The box the anchor refers to: the pen advance wide, ascent to descent high, as the
        // SVG backend anchors `text-anchor` and `dy`.
        let (ascent, descent) = (scaled.ascent(), scaled.descent());
        let height = ascent - descent;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let top = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -height / 2.0,
            VPos::Bottom => -height,
        };
        let baseline = top + ascent;
        let trans = style.transform();
        let (w, h) = self.inner.get_size();
        for (id, x) in glyphs {
            let glyph = id.with_scale_and_position(scale, point(dx + x, baseline));
            let Some(outline) = font.outline_glyph(glyph) else { continue };
            let bounds = outline.px_bounds();
            let mut pixels = Vec::new();
            outline.draw(|gx, gy, coverage| pixels.push((gx, gy, coverage)));
            for (gx, gy, coverage) in pixels {
                if coverage <= 0.0 {
                    continue;
                }
                let local_x = (bounds.min.x + gx as f32).round() as i32;
                let local_y = (bounds.min.y + gy as f32).round() as i32;
                let (tx, ty) = trans.transform(local_x, local_y);
                let (px, py) = (pos.0 + tx, pos.1 + ty);
                if px >= 0 && py >= 0 && (px as u32) < w && (py as u32) < h {
                    let mixed =
                        BackendColor { alpha: color.alpha * f64::from(coverage.min(1.0)), rgb: color.rgb };
                    self.inner.draw_pixel((px, py), mixed)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pen_positions_never_fall_back_and_keep_fractional_advances() {
        let font = FontRef::try_from_slice(super::super::FONT).unwrap();
        let scale = scale_for(&font, 17.0);
        let (glyphs, width) = pen_positions(&font, scale, "answered wait");
        assert!(glyphs.windows(2).all(|w| w[1].1 > w[0].1), "pen moves forward");
        // Fractional: not every pen position is a whole pixel (plotters truncated each one).
        assert!(glyphs.iter().any(|(_, x)| x.fract() != 0.0));
        assert!(width > 0.0);
    }
}
