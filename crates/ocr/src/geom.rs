//! Geometry of the detection post-processing: connected components of the binarized
//! probability map, their convex hull and minimum-area rectangle, and the unclip.
//!
//! Written here rather than taken from a library: rten-imageproc's convex hull misbehaved on
//! self-touching outlines. The hull is built from each component's per-row extents, which
//! cannot self-touch.

/// A rotated rectangle: `center`, unit vector `u` along its long side (pointing right, x ≥ 0),
/// `v` perpendicular (pointing down), `width` along `u`, `height` along `v`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RotatedRect {
    pub center: [f32; 2],
    pub u: [f32; 2],
    pub width: f32,
    pub height: f32,
}

impl RotatedRect {
    /// The perpendicular to `u`, pointing down the page.
    pub fn v(&self) -> [f32; 2] {
        [-self.u[1], self.u[0]]
    }

    /// Corners clockwise from the top left (in image coordinates, y down).
    pub fn corners(&self) -> [[f32; 2]; 4] {
        let [cx, cy] = self.center;
        let [ux, uy] = self.u;
        let [vx, vy] = self.v();
        let (hw, hh) = (self.width / 2.0, self.height / 2.0);
        let p = |a: f32, b: f32| [cx + a * ux + b * vx, cy + a * uy + b * vy];
        [p(-hw, -hh), p(hw, -hh), p(hw, hh), p(-hw, hh)]
    }

    /// Grown by `d` on every side.
    pub fn grown(&self, d: f32) -> RotatedRect {
        RotatedRect {
            width: self.width + 2.0 * d,
            height: self.height + 2.0 * d,
            ..*self
        }
    }

    /// Scaled about the origin by `sx`, `sy` (from detection-map to image coordinates).
    pub fn scaled(&self, sx: f32, sy: f32) -> RotatedRect {
        let u = [self.u[0] * sx, self.u[1] * sy];
        let v = self.v();
        let v = [v[0] * sx, v[1] * sy];
        let (lu, lv) = (norm(u), norm(v));
        let u = if lu > 0.0 {
            [u[0] / lu, u[1] / lu]
        } else {
            [1.0, 0.0]
        };
        RotatedRect {
            center: [self.center[0] * sx, self.center[1] * sy],
            u,
            width: self.width * lu,
            height: self.height * lv,
        }
    }
}

fn norm(p: [f32; 2]) -> f32 {
    (p[0] * p[0] + p[1] * p[1]).sqrt()
}

/// One connected component: its per-row extents `(y, x_min, x_max)` and pixel count.
pub struct Component {
    pub rows: Vec<(u32, u32, u32)>,
    pub pixels: Vec<u32>,
}

/// 8-connected components of `mask` (`true` = text), each with the indices of its pixels.
pub fn components(mask: &[bool], w: usize, h: usize) -> Vec<Component> {
    let mut seen = vec![false; mask.len()];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in 0..mask.len().min(w * h) {
        if !mask[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let mut pixels = Vec::new();
        while let Some(i) = stack.pop() {
            pixels.push(i as u32);
            let (x, y) = ((i % w) as isize, (i / w) as isize);
            for dy in -1..=1isize {
                for dx in -1..=1isize {
                    let (nx, ny) = (x + dx, y + dy);
                    if nx < 0 || ny < 0 || nx >= w as isize || ny >= h as isize {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if mask[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        pixels.sort_unstable();
        let mut rows: Vec<(u32, u32, u32)> = Vec::new();
        for &p in &pixels {
            let (x, y) = (p % w as u32, p / w as u32);
            match rows.last_mut() {
                Some(r) if r.0 == y => {
                    r.1 = r.1.min(x);
                    r.2 = r.2.max(x);
                }
                _ => rows.push((y, x, x)),
            }
        }
        out.push(Component { rows, pixels });
    }
    out
}

fn cross(o: [f32; 2], a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/// Convex hull (Andrew's monotone chain) of `pts`, counter-clockwise, no repeated point.
pub fn convex_hull(mut pts: Vec<[f32; 2]>) -> Vec<[f32; 2]> {
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let mut lower: Vec<[f32; 2]> = Vec::new();
    for &p in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], p) <= 0.0 {
            lower.pop();
        }
        lower.push(p);
    }
    let mut upper: Vec<[f32; 2]> = Vec::new();
    for &p in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], p) <= 0.0 {
            upper.pop();
        }
        upper.push(p);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

/// The minimum-area rectangle around a component (its pixel squares, not centres).
pub fn min_area_rect(c: &Component) -> Option<RotatedRect> {
    let mut pts = Vec::with_capacity(c.rows.len() * 4);
    for &(y, x0, x1) in &c.rows {
        let (y, x0, x1) = (y as f32, x0 as f32, x1 as f32 + 1.0);
        pts.extend([[x0, y], [x0, y + 1.0], [x1, y], [x1, y + 1.0]]);
    }
    let hull = convex_hull(pts);
    if hull.len() < 3 {
        return None;
    }
    let mut best: Option<(f32, RotatedRect)> = None;
    for i in 0..hull.len() {
        let (a, b) = (hull[i], hull[(i + 1) % hull.len()]);
        let d = [b[0] - a[0], b[1] - a[1]];
        let l = norm(d);
        if l <= 0.0 {
            continue;
        }
        let u = [d[0] / l, d[1] / l];
        let v = [-u[1], u[0]];
        let (mut umin, mut umax, mut vmin, mut vmax) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for p in &hull {
            let pu = p[0] * u[0] + p[1] * u[1];
            let pv = p[0] * v[0] + p[1] * v[1];
            umin = umin.min(pu);
            umax = umax.max(pu);
            vmin = vmin.min(pv);
            vmax = vmax.max(pv);
        }
        let area = (umax - umin) * (vmax - vmin);
        if best.as_ref().is_none_or(|(ba, _)| area < *ba) {
            let (cu, cv) = ((umin + umax) / 2.0, (vmin + vmax) / 2.0);
            let center = [cu * u[0] + cv * v[0], cu * u[1] + cv * v[1]];
            best = Some((
                area,
                orient(RotatedRect {
                    center,
                    u,
                    width: umax - umin,
                    height: vmax - vmin,
                }),
            ));
        }
    }
    best.map(|(_, r)| r)
}

/// The same rectangle with `u` along the long side, pointing right.
fn orient(r: RotatedRect) -> RotatedRect {
    let r = if r.height > r.width {
        RotatedRect {
            u: r.v(),
            width: r.height,
            height: r.width,
            ..r
        }
    } else {
        r
    };
    if r.u[0] < 0.0 || (r.u[0] == 0.0 && r.u[1] < 0.0) {
        RotatedRect {
            u: [-r.u[0], -r.u[1]],
            ..r
        }
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rectangle_of_a_tilted_bar() {
        // A 60 x 6 bar tilted by about 5 degrees.
        let (w, h) = (100, 40);
        let mut mask = vec![false; w * h];
        let a = 5f32.to_radians();
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (x as f32 - 50.0, y as f32 - 20.0);
                let (pu, pv) = (dx * a.cos() + dy * a.sin(), -dx * a.sin() + dy * a.cos());
                mask[y * w + x] = pu.abs() <= 30.0 && pv.abs() <= 3.0;
            }
        }
        let cs = components(&mask, w, h);
        assert_eq!(cs.len(), 1);
        let r = min_area_rect(&cs[0]).unwrap();
        assert!((r.width - 61.0).abs() < 3.0, "{r:?}");
        assert!((r.height - 7.0).abs() < 2.0, "{r:?}");
        assert!((r.u[1].atan2(r.u[0]) - a).abs() < 0.03, "{r:?}");
        assert!(r.u[0] > 0.0);
    }

    #[test]
    fn two_separate_blobs_are_two_components() {
        let (w, h) = (10, 3);
        let mut mask = vec![false; w * h];
        mask[0] = true;
        mask[1] = true;
        mask[8] = true;
        assert_eq!(components(&mask, w, h).len(), 2);
    }

    #[test]
    fn hull_of_a_self_touching_outline_is_convex() {
        // A ring touching itself at a corner: the per-row extents still give one convex hull.
        let pts = vec![
            [0.0, 0.0],
            [4.0, 0.0],
            [4.0, 4.0],
            [0.0, 4.0],
            [2.0, 2.0],
            [2.0, 2.0],
        ];
        let h = convex_hull(pts);
        assert_eq!(h.len(), 4);
    }
}
