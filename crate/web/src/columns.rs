//! Columns of a bifurcation scan as flat arrays, the form in which a Web Worker posts a chunk of
//! [`eoslab_core::scans::bifurcation::BifurcationScan::scan`] to the page: five typed arrays move
//! between threads as a few memory blocks, where the nested runs as JS objects would be cloned
//! number by number.
//!
//! Absent values have sentinels no run can produce: period 0 (periods start at 1), divergence
//! step 0 (steps count from 1) and a NaN Lyapunov exponent (a run's exponent is a finite mean of
//! logarithms of positive norms, or absent).

use eoslab_core::scans::bifurcation::ScanRun;

/// Runs of consecutive columns, `starts` runs per column, flattened column by column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlatColumns {
    /// Runs per column (the scan's number of start points).
    pub starts: usize,
    /// Every run's samples, one after the other.
    pub samples: Vec<f64>,
    /// How many samples each run has.
    pub lengths: Vec<u32>,
    /// Each run's period, 0 for none.
    pub period: Vec<u32>,
    /// Each run's divergence step, 0 for none.
    pub diverged_at: Vec<u32>,
    /// Each run's Lyapunov exponent, NaN for none.
    pub lyapunov: Vec<f64>,
}

impl FlatColumns {
    /// Flattens columns of runs (every column with `starts` runs).
    pub fn from_runs(starts: usize, runs: &[Vec<ScanRun>]) -> Self {
        let mut flat = FlatColumns { starts, ..Default::default() };
        for run in runs.iter().flatten() {
            flat.samples.extend_from_slice(&run.samples);
            flat.lengths.push(run.samples.len() as u32);
            flat.period.push(run.period.map_or(0, |p| p as u32));
            flat.diverged_at.push(run.diverged_at.map_or(0, |k| k as u32));
            flat.lyapunov.push(run.lyapunov.unwrap_or(f64::NAN));
        }
        flat
    }

    /// The columns of runs back; an error says what is inconsistent (the arrays come from
    /// another thread, so they are checked rather than trusted).
    pub fn into_runs(self) -> Result<Vec<Vec<ScanRun>>, String> {
        let runs = self.lengths.len();
        if self.starts == 0 || !runs.is_multiple_of(self.starts) {
            return Err(format!("{runs} runs do not make whole columns of {} starts", self.starts));
        }
        if [self.period.len(), self.diverged_at.len(), self.lyapunov.len()].iter().any(|&n| n != runs) {
            return Err("the arrays of a chunk of columns differ in length".into());
        }
        let total: u64 = self.lengths.iter().map(|&n| n as u64).sum();
        if total != self.samples.len() as u64 {
            return Err(format!("the runs claim {total} samples but {} were given", self.samples.len()));
        }
        let mut samples = self.samples.into_iter();
        let mut flat = (0..runs).map(|r| ScanRun {
            samples: samples.by_ref().take(self.lengths[r] as usize).collect(),
            period: (self.period[r] > 0).then_some(self.period[r] as usize),
            diverged_at: (self.diverged_at[r] > 0).then_some(self.diverged_at[r] as usize),
            lyapunov: Some(self.lyapunov[r]).filter(|l| !l.is_nan()),
        });
        Ok((0..runs / self.starts).map(|_| flat.by_ref().take(self.starts).collect()).collect())
    }
}

/// The period every start of a column settled on, 0 where they differ, are not periodic, or
/// diverged (the pages' period readouts).
pub fn common_period(column: &[ScanRun]) -> u32 {
    match column.first() {
        Some(first) if column.iter().all(|r| r.period == first.period) => first.period.unwrap_or(0) as u32,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eoslab_core::scans::bifurcation::{BifurcationScan, BifurcationSpec};

    #[test]
    fn columns_survive_the_round_trip_through_flat_arrays() {
        // η from 0.5 to 2.3: fixed points, 2- and 4-cycles, chaos and divergence, two starts.
        let scan =
            BifurcationScan::new(&BifurcationSpec { transient: 300, record: 16, ..BifurcationSpec::over_eta(0.5, 2.3, 40) }).unwrap();
        let runs = scan.scan(3..40).unwrap();
        assert!(
            runs.iter().flatten().any(|r| r.diverged_at.is_some())
                && runs.iter().flatten().any(|r| r.period.is_none() && r.lyapunov.is_some())
        );
        let flat = FlatColumns::from_runs(2, &runs);
        assert_eq!((flat.lengths.len(), flat.samples.len()), (74, runs.iter().flatten().map(|r| r.samples.len()).sum()));
        assert_eq!(flat.clone().into_runs().unwrap(), runs);
        let mut broken = flat.clone();
        broken.samples.pop();
        assert!(broken.into_runs().unwrap_err().contains("samples"));
        assert!(FlatColumns { starts: 3, ..flat.clone() }.into_runs().unwrap_err().contains("whole columns"));
        let mut short = flat;
        short.period.pop();
        assert!(short.into_runs().is_err());
    }

    #[test]
    fn the_common_period_needs_every_start_to_agree() {
        let scan =
            BifurcationScan::new(&BifurcationSpec { transient: 2000, record: 64, ..BifurcationSpec::over_eta(0.5, 1.1, 2) }).unwrap();
        let runs = scan.scan(0..2).unwrap();
        // η = 0.5: both starts converge (period 1); η = 1.1: both settle on the 2-cycle.
        assert_eq!((common_period(&runs[0]), common_period(&runs[1])), (1, 2));
        let mixed = vec![runs[0][0].clone(), runs[1][0].clone()];
        assert_eq!(common_period(&mixed), 0);
        assert_eq!(common_period(&[]), 0);
    }
}
