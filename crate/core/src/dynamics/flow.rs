//! Gradient flow dθ/dt = −∇f(θ), the η → 0 limit of GD, integrated by an error-controlled
//! Runge–Kutta method and compared with GD on the common axis t = kη (Cohen et al., ICLR 2021,
//! §3: GD tracks the flow until the sharpness reaches 2/η; paper 001 §6, Fig. 4: the flow drifts
//! away from GD at a linear rate while the constrained trajectory stays close).
//!
//! **Integrator.** The explicit embedded pair of Dormand & Prince (1980), "DOPRI5", as given in
//! Hairer, Nørsett & Wanner, *Solving Ordinary Differential Equations I* (2nd ed., 1993), §II.5,
//! Table 5.2: seven stages, the fifth-order solution propagated (local extrapolation), the
//! difference from the embedded fourth-order one as the error estimate, and the last stage
//! reused as the first of the next step (FSAL). Step-size control as in §II.4: with
//! scᵢ = atol + rtol·max(|yᵢ|, |ŷᵢ|) the error is err = √(mean((eᵢ/scᵢ)²)); a step is accepted
//! when err ≤ 1 and the next step is h·min(10, max(0.2, 0.9·err^(−1/5))) (no growth right after
//! a rejection); the first step is chosen by the algorithm of §II.4 ("starting step size").
//! The system is autonomous, so the stage times c are not needed. Output times are hit exactly
//! by shortening the step that would pass them.

use serde::{Deserialize, Serialize};

use crate::dynamics::run::{every_step, one_start_spec, IterateRecord, SharpnessTracker, Start};
use crate::error::{Result, SpecError};
use crate::limits::MAX_STEPS;
use crate::objective::{Objective, ObjectiveSpec};
use crate::optimizer::gd::{within_radius, GdMap};
use crate::spectrum::SpectrumOptions;
use crate::validate;

/// Smallest accepted relative tolerance (a few hundred ulps: below it the error estimate is
/// rounding).
pub const MIN_RTOL: f64 = 1e-13;
/// Smallest accepted absolute tolerance.
pub const MIN_ATOL: f64 = 1e-15;
/// Largest accepted tolerance (relative or absolute).
pub const MAX_TOL: f64 = 1e-2;
/// Most Runge–Kutta steps (accepted and rejected) a spec may allow.
pub const MAX_RK_STEPS: usize = 1_000_000;

/// How the flow is integrated: the `flow` object of a spec (errors name `flow.<field>`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FlowOptions {
    /// Relative tolerance, in [[`MIN_RTOL`], [`MAX_TOL`]] (default 10⁻⁹).
    pub rtol: f64,
    /// Absolute tolerance, in [[`MIN_ATOL`], [`MAX_TOL`]] (default 10⁻¹²).
    pub atol: f64,
    /// Most Runge–Kutta steps, accepted and rejected, 1 to [`MAX_RK_STEPS`] (default 100,000).
    pub max_steps: usize,
}

impl Default for FlowOptions {
    fn default() -> Self {
        Self { rtol: 1e-9, atol: 1e-12, max_steps: 100_000 }
    }
}

impl FlowOptions {
    /// Checks the tolerances and the step limit.
    pub fn validate(&self) -> Result<()> {
        validate::finite_in("flow.rtol", self.rtol, MIN_RTOL, MAX_TOL)?;
        validate::finite_in("flow.atol", self.atol, MIN_ATOL, MAX_TOL)?;
        validate::count_in("flow.max_steps", self.max_steps, 1, MAX_RK_STEPS).map(drop)
    }
}

/// The work an integration took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RkStats {
    /// Accepted steps.
    pub accepted: usize,
    /// Rejected steps (error estimate above tolerance).
    pub rejected: usize,
    /// Evaluations of the right-hand side (gradients, for gradient flow).
    pub evaluations: usize,
}

/// Why an integration stopped before its end time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowStop {
    /// [`FlowOptions::max_steps`] steps were spent.
    StepLimit,
    /// The step size fell below 10⁻¹⁴ of the time reached: the solution is too stiff or singular
    /// for the tolerance.
    StepTooSmall,
    /// The solution left the divergence radius ([`crate::limits::DIVERGENCE_RADIUS`]).
    Diverged,
}

impl FlowStop {
    /// The refusal a spec gets when its flow stopped this way at time t.
    pub fn error(self, t: f64, options: &FlowOptions) -> SpecError {
        match self {
            FlowStop::StepLimit => SpecError::new(
                "flow.max_steps",
                format!(
                    "gradient flow used all {} Runge–Kutta steps by t = {t}; raise flow.max_steps, loosen flow.rtol or ask for fewer steps",
                    options.max_steps
                ),
            ),
            FlowStop::StepTooSmall => SpecError::new(
                "flow.rtol",
                format!("the Runge–Kutta step fell below 1e-14·t at t = {t}: the flow is too stiff for rtol = {}", options.rtol),
            ),
            FlowStop::Diverged => SpecError::new("flow", format!("gradient flow left the ball of radius 1e8 at t = {t}")),
        }
    }
}

// Dormand–Prince 5(4) coefficients (Hairer, Nørsett, Wanner I, Table II.5.2).
const A: [[f64; 6]; 7] = [
    [0.0; 6],
    [1.0 / 5.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0],
    [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0],
    [19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0, 0.0, 0.0],
    [9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0, 0.0],
    // The seventh stage is evaluated at the fifth-order solution (FSAL): its row is b.
    [35.0 / 384.0, 0.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0],
];
/// b − b̂: the fifth-order weights minus the embedded fourth-order ones.
const E: [f64; 7] = [71.0 / 57600.0, 0.0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0, 22.0 / 525.0, -1.0 / 40.0];

/// An autonomous system y′ = F(y) integrated by Dormand–Prince 5(4) (module docs).
pub struct DormandPrince<F> {
    rhs: F,
    options: FlowOptions,
    y: Vec<f64>,
    t: f64,
    h: Option<f64>,
    stages: [Vec<f64>; 7],
    scratch: Vec<f64>,
    stats: RkStats,
}

impl<F: FnMut(&[f64], &mut [f64])> DormandPrince<F> {
    /// Starts at y(0) = y₀; `options` must have been validated.
    pub fn new(mut rhs: F, y0: &[f64], options: FlowOptions) -> Self {
        let n = y0.len();
        let mut stages: [Vec<f64>; 7] = std::array::from_fn(|_| vec![0.0; n]);
        rhs(y0, &mut stages[0]);
        let stats = RkStats { evaluations: 1, ..RkStats::default() };
        Self { rhs, options, y: y0.to_vec(), t: 0.0, h: None, stages, scratch: vec![0.0; n], stats }
    }

    /// The current state y(t).
    pub fn state(&self) -> &[f64] {
        &self.y
    }

    /// The time reached.
    pub fn time(&self) -> f64 {
        self.t
    }

    /// The work so far.
    pub fn stats(&self) -> RkStats {
        self.stats
    }

    /// Integrates on to time `end` (≥ the current time), landing on it exactly.
    pub fn advance_to(&mut self, end: f64) -> std::result::Result<(), FlowStop> {
        let mut h = match self.h {
            Some(h) => h,
            None => self.initial_step(),
        };
        let mut just_rejected = false;
        while self.t < end {
            if self.stats.accepted + self.stats.rejected >= self.options.max_steps {
                return Err(FlowStop::StepLimit);
            }
            if h < 1e-14 * self.t.abs().max(1.0) {
                return Err(FlowStop::StepTooSmall);
            }
            let remaining = end - self.t;
            let lands = h >= remaining * (1.0 - 1e-12);
            let step = if lands { remaining } else { h };
            let err = self.trial(step);
            let grow = if err.is_finite() { (0.9 * libm::pow(err.max(1e-10), -0.2)).clamp(0.2, 10.0) } else { 0.2 };
            if err <= 1.0 {
                self.stats.accepted += 1;
                // The fifth-order solution was left in `scratch`, its derivative in stage 7.
                std::mem::swap(&mut self.y, &mut self.scratch);
                self.stages.swap(0, 6);
                self.t = if lands { end } else { self.t + step };
                if !within_radius(self.y.iter().map(|v| v * v).sum()) {
                    return Err(FlowStop::Diverged);
                }
                let proposed = step * if just_rejected { grow.min(1.0) } else { grow };
                // A step shortened to land on an output time does not shrink the next one.
                h = if lands && step < h { proposed.max(h) } else { proposed };
                just_rejected = false;
            } else {
                self.stats.rejected += 1;
                h = step * grow.min(1.0);
                just_rejected = true;
            }
        }
        self.h = Some(h);
        Ok(())
    }

    /// One trial step of size h from (t, y): the fifth-order solution into `scratch`, the stages
    /// into `stages[1..]`; returns the scaled error norm.
    fn trial(&mut self, h: f64) -> f64 {
        let n = self.y.len();
        for s in 1..7 {
            for i in 0..n {
                let mut sum = 0.0;
                for (j, a) in A[s][..s].iter().enumerate() {
                    sum += a * self.stages[j][i];
                }
                self.scratch[i] = self.y[i] + h * sum;
            }
            (self.rhs)(&self.scratch, &mut self.stages[s]);
            self.stats.evaluations += 1;
        }
        let mut sum = 0.0;
        for i in 0..n {
            let e: f64 = h * E.iter().zip(&self.stages).map(|(w, k)| w * k[i]).sum::<f64>();
            let sc = self.options.atol + self.options.rtol * self.y[i].abs().max(self.scratch[i].abs());
            sum += (e / sc) * (e / sc);
        }
        (sum / n.max(1) as f64).sqrt()
    }

    /// The starting step of Hairer, Nørsett, Wanner I, §II.4 for order 5 (one extra evaluation).
    fn initial_step(&mut self) -> f64 {
        let n = self.y.len().max(1) as f64;
        let sc: Vec<f64> = self.y.iter().map(|v| self.options.atol + self.options.rtol * v.abs()).collect();
        let rms = |v: &mut dyn Iterator<Item = f64>| (v.map(|x| x * x).sum::<f64>() / n).sqrt();
        let d0 = rms(&mut self.y.iter().zip(&sc).map(|(y, s)| y / s));
        let d1 = rms(&mut self.stages[0].iter().zip(&sc).map(|(f, s)| f / s));
        let h0 = if d0 < 1e-5 || d1 < 1e-5 { 1e-6 } else { 0.01 * d0 / d1 };
        for i in 0..self.y.len() {
            self.scratch[i] = self.y[i] + h0 * self.stages[0][i];
        }
        (self.rhs)(&self.scratch, &mut self.stages[1]);
        self.stats.evaluations += 1;
        let d2 = rms(&mut self.stages[1].iter().zip(&self.stages[0]).zip(&sc).map(|((f1, f0), s)| (f1 - f0) / s)) / h0;
        let h1 = if d1.max(d2) <= 1e-15 { (h0 * 1e-3).max(1e-6) } else { libm::pow(0.01 / d1.max(d2), 0.2) };
        (100.0 * h0).min(h1)
    }
}

/// The right-hand side −∇f of gradient flow.
pub fn gradient_flow_rhs(objective: &dyn Objective) -> impl FnMut(&[f64], &mut [f64]) + '_ {
    move |y: &[f64], dy: &mut [f64]| {
        objective.gradient(y, dy);
        for v in dy.iter_mut() {
            *v = -*v;
        }
    }
}

/// The gradient flow from θ₀ sampled at t = kη, k = 0, …, `samples − 1`.
pub fn sample_gradient_flow(
    objective: &dyn Objective,
    theta0: &[f64],
    eta: f64,
    samples: usize,
    options: &FlowOptions,
) -> Result<(Vec<Vec<f64>>, RkStats)> {
    let mut rk = DormandPrince::new(gradient_flow_rhs(objective), theta0, *options);
    let mut out = vec![theta0.to_vec()];
    for k in 1..samples {
        let t = k as f64 * eta;
        rk.advance_to(t).map_err(|stop| stop.error(rk.time(), options))?;
        out.push(rk.state().to_vec());
    }
    Ok((out, rk.stats()))
}

one_start_spec! {
    /// GD against gradient flow: `{"kind": "flow", "objective": {...}, "eta": 0.1, "steps": 200,
    /// "flow": {"rtol": 1e-9}}`. The flow runs to t = steps·η and is sampled at every t = kη. On the
    /// double well at η = 1.1 GD settles on its 2-cycle while the flow converges to the minimum 1:
    ///
    /// ```
    /// use eoslab_core::{parse_json, run, Output};
    /// let spec = parse_json(r#"{"kind": "flow", "eta": 1.1, "x0": [0.3], "steps": 400, "flow": {"rtol": 1e-10}}"#)?;
    /// let Output::Flow(flow) = run(&spec)? else { unreachable!() };
    /// assert!((flow.flow_iterates.last().unwrap()[0] - 1.0).abs() < 1e-9);
    /// assert!((flow.distance.last().unwrap() - 1.0).abs() > 0.1, "GD is on its cycle, away from 1");
    /// # Ok::<(), eoslab_core::SpecError>(())
    /// ```
    pub struct FlowSpec (steps: default 200, at most MAX_STEPS) {
        /// Tolerances and step limit of the integrator.
        #[serde(default)]
        pub flow: FlowOptions,
        /// Which iterates the result carries (default `auto`: all up to 64 parameters).
        #[serde(default)]
        pub iterates: IterateRecord,
        /// How the sharpness is estimated (default: Lanczos, top 1).
        #[serde(default)]
        pub sharpness: SpectrumOptions,
        /// Estimate the sharpness of both every this many steps (default 1; 0: never).
        #[serde(default = "every_step")]
        pub sharpness_every: usize,
    }
}

/// The result of a [`FlowSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// The objective with every parameter spelled out.
    pub objective: ObjectiveSpec,
    /// η.
    pub eta: f64,
    /// t = kη for every compared step k = 0, 1, … (up to the last step GD stayed bounded).
    pub time: Vec<f64>,
    /// The step index of each entry of `gd_iterates` and `flow_iterates`.
    pub iterate_steps: Vec<usize>,
    /// GD's iterates θ_k (all, or the first and last).
    pub gd_iterates: Vec<Vec<f64>>,
    /// The flow θ(kη) at the same steps.
    pub flow_iterates: Vec<Vec<f64>>,
    /// ‖θ_GD(k) − θ_flow(kη)‖ at every step.
    pub distance: Vec<f64>,
    /// f − min f along GD.
    pub gd_loss: Vec<f64>,
    /// f − min f along the flow.
    pub flow_loss: Vec<f64>,
    /// The steps at which both sharpnesses were estimated.
    pub sharpness_steps: Vec<usize>,
    /// GD's sharpness there.
    pub gd_sharpness: Vec<f64>,
    /// The flow's sharpness there.
    pub flow_sharpness: Vec<f64>,
    /// 2/η.
    pub stability_threshold: f64,
    /// The step at which GD diverged, if it did (the comparison stops before it).
    pub gd_diverged: Option<usize>,
    /// The integrator's work.
    pub rk: RkStats,
}

/// Runs GD and samples the gradient flow from the same start.
pub fn run_flow(spec: &FlowSpec) -> Result<Flow> {
    let Start { objective, eta, x0, steps } = spec.start()?;
    spec.flow.validate()?;
    spec.sharpness.validate()?;
    let keep_all = spec.iterates.keeps_all(objective.dim(), steps)?;

    let mut map = GdMap::new(&objective as &dyn Objective, eta);
    let mut gd = vec![x0.clone()];
    let mut gd_diverged = None;
    let mut x = x0.clone();
    for k in 1..=steps {
        if !map.try_step(&mut x) {
            gd_diverged = Some(k);
            break;
        }
        gd.push(x.clone());
    }
    let (flow, rk) = sample_gradient_flow(&objective, &x0, eta, gd.len(), &spec.flow)?;
    let min = objective.min_value().unwrap_or(0.0);
    let last = gd.len() - 1;
    let mut gd_track = SharpnessTracker::new(spec.sharpness, spec.sharpness_every);
    let mut flow_track = SharpnessTracker::new(spec.sharpness, spec.sharpness_every);
    for (k, (a, b)) in gd.iter().zip(&flow).enumerate() {
        gd_track.observe(&objective, a, k, k == last)?;
        flow_track.observe(&objective, b, k, k == last)?;
    }
    let kept: Vec<usize> = if keep_all { (0..=last).collect() } else { vec![0, last] };
    let kept = if last == 0 { vec![0] } else { kept };
    Ok(Flow {
        objective: spec.objective.resolved()?,
        eta,
        time: (0..=last).map(|k| k as f64 * eta).collect(),
        gd_iterates: kept.iter().map(|&k| gd[k].clone()).collect(),
        flow_iterates: kept.iter().map(|&k| flow[k].clone()).collect(),
        iterate_steps: kept,
        distance: gd.iter().zip(&flow).map(|(a, b)| distance(a, b)).collect(),
        gd_loss: gd.iter().map(|p| objective.value(p) - min).collect(),
        flow_loss: flow.iter().map(|p| objective.value(p) - min).collect(),
        sharpness_steps: gd_track.steps,
        gd_sharpness: gd_track.sharpness,
        flow_sharpness: flow_track.sharpness,
        stability_threshold: 2.0 / eta,
        gd_diverged,
        rk,
    })
}

/// ‖a − b‖.
pub fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::{DoubleWell, ParamValue};

    /// f = (λ₁(cx + sy)² + λ₂(−sx + cy)²)/2: H has eigenvalues λ₁, λ₂ along the rotated axes.
    fn rotated_quadratic(l1: f64, l2: f64, angle: f64) -> crate::objective::AnyObjective {
        let (s, c) = (angle.sin(), angle.cos());
        ObjectiveSpec::new(
            "formula",
            &[
                ("formula", ParamValue::Text("(l1*(c*x + s*y)^2 + l2*(c*y - s*x)^2)/2".into())),
                ("params", ParamValue::Text(format!("l1 = {l1}, l2 = {l2}, c = {c}, s = {s}"))),
            ],
        )
        .build()
        .unwrap()
    }

    #[test]
    fn quadratic_flow_is_exp_minus_h_t_to_the_requested_tolerance() {
        let (l1, l2, angle) = (3.0, 0.2, 0.6f64);
        let f = rotated_quadratic(l1, l2, angle);
        let (s, c) = (angle.sin(), angle.cos());
        let theta0 = [1.0, -0.5];
        let exact = |t: f64| {
            let (p, q) = (c * theta0[0] + s * theta0[1], -s * theta0[0] + c * theta0[1]);
            let (p, q) = (p * (-l1 * t).exp(), q * (-l2 * t).exp());
            [c * p - s * q, s * p + c * q]
        };
        let mut errors = Vec::new();
        for rtol in [1e-6, 1e-9, 1e-12] {
            let options = FlowOptions { rtol, atol: rtol * 1e-3, max_steps: 100_000 };
            let (path, stats) = sample_gradient_flow(&f, &theta0, 0.1, 51, &options).unwrap();
            let worst = path.iter().enumerate().map(|(k, p)| distance(p, &exact(k as f64 * 0.1))).fold(0.0, f64::max);
            assert!(worst <= rtol, "rtol {rtol}: error {worst} ({stats:?})");
            errors.push(worst);
        }
        // The error follows the tolerance (measured: 1.4e-7, 1.5e-10, 1.6e-13, about 0.15·rtol):
        // each 1000× tighter tolerance cuts it by at least 300×.
        assert!(errors[0] / errors[1] > 300.0 && errors[1] / errors[2] > 300.0, "{errors:?}");
    }

    #[test]
    fn double_well_flow_is_its_closed_form() {
        // f = (x² − μ)²/4: ẋ = μx − x³, a Bernoulli equation with x(t)² = μ/(1 + (μ/x₀² − 1)e^(−2μt)).
        let mu = 1.5;
        let f = DoubleWell::new(mu).unwrap();
        for x0 in [0.05f64, 2.5, -0.7] {
            let options = FlowOptions { rtol: 1e-10, atol: 1e-13, max_steps: 100_000 };
            let (path, _) = sample_gradient_flow(&f, &[x0], 0.05, 201, &options).unwrap();
            for (k, p) in path.iter().enumerate() {
                let t = k as f64 * 0.05;
                let exact = x0.signum() * (mu / (1.0 + (mu / (x0 * x0) - 1.0) * (-2.0 * mu * t).exp())).sqrt();
                assert!((p[0] - exact).abs() < 1e-9, "x0 {x0}, t {t}: {} vs {exact}", p[0]);
            }
        }
    }

    #[test]
    fn reaching_the_step_limit_or_a_stiff_singularity_is_a_named_refusal() {
        let f = DoubleWell::new(1.0).unwrap();
        let options = FlowOptions { rtol: 1e-12, atol: 1e-15, max_steps: 5 };
        let e = sample_gradient_flow(&f, &[2.0], 0.5, 100, &options).unwrap_err();
        assert_eq!(e.field, "flow.max_steps", "{e}");
        assert_eq!(FlowOptions { rtol: 0.0, ..Default::default() }.validate().unwrap_err().field, "flow.rtol");
        assert_eq!(FlowOptions { atol: f64::NAN, ..Default::default() }.validate().unwrap_err().field, "flow.atol");
        assert_eq!(FlowOptions { max_steps: 0, ..Default::default() }.validate().unwrap_err().field, "flow.max_steps");
    }
}
