//! Splitting a scan's grid into chunks: computed one after the other on the calling thread, or
//! (natively, with the `parallel` feature) on every core through rayon. Each chunk is computed
//! alone and the results come back in grid order, so they do not depend on the thread count.

use std::ops::Range;

use crate::error::{Result, SpecError};

/// Checks that `range` lies within `0..len`; errors name `field`.
pub fn check(field: &str, range: &Range<usize>, len: usize) -> Result<()> {
    if range.start > range.end || range.end > len {
        return Err(SpecError::new(field, format!("must be a range within 0..{len} (got {}..{})", range.start, range.end)));
    }
    Ok(())
}

/// `f` on consecutive sub-ranges of `range` of at most `size` indices, in order; on all cores
/// with the `parallel` feature, else on the calling thread.
pub fn map_parallel<T: Send>(range: Range<usize>, size: usize, f: impl Fn(Range<usize>) -> Result<T> + Sync) -> Result<Vec<T>> {
    let pieces: Vec<Range<usize>> = range.clone().step_by(size.max(1)).map(|i| i..(i + size.max(1)).min(range.end)).collect();
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        pieces.into_par_iter().map(&f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    pieces.into_iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_range_in_order() {
        let parts = map_parallel(3..12, 4, |r| Ok(r.collect::<Vec<_>>())).unwrap();
        assert_eq!(parts, vec![vec![3, 4, 5, 6], vec![7, 8, 9, 10], vec![11]]);
        assert!(map_parallel(0..0, 4, |r| Ok(r.len())).unwrap().is_empty());
        assert_eq!(check("rows", &(2..5), 4).unwrap_err().field, "rows");
        assert!(check("rows", &(4..4), 4).is_ok());
    }
}
