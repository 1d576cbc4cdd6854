//! A parsed formula compiled into a straight-line program ("tape") and run over any [`Scalar`].
//!
//! Compiling substitutes the parameters' values and folds every subexpression that involves no
//! variable into one constant (evaluated once, in `f64`, by the same code the tape would run),
//! and recognises powers with a constant exponent, which go through [`pow_constant`] (negative
//! bases allowed for whole exponents) rather than exp(y·log x). Running the tape is one loop over
//! its instructions, each reading earlier slots: no recursion, whatever the formula's shape.

use super::function::{pow, pow_constant, Func};
use super::parser::{BinOp, Expr, Node};
use super::scalar::Scalar;

/// One instruction; operands are indices of earlier slots.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Constant(f64),
    Variable(usize),
    Neg(usize),
    Add(usize, usize),
    Sub(usize, usize),
    Mul(usize, usize),
    Div(usize, usize),
    /// x^c with a constant c.
    PowConstant(usize, f64),
    /// x^y with a non-constant y.
    Pow(usize, usize),
    Call(Func, usize),
}

/// A node after folding: a known constant, or the slot that will hold its value.
#[derive(Clone, Copy)]
enum Folded {
    Constant(f64),
    Slot(usize),
}

/// A formula ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tape {
    ops: Vec<Op>,
}

impl Tape {
    /// Compiles `expr`, with `parameters[i]` the value of its i-th parameter.
    pub fn compile(expr: &Expr, parameters: &[f64]) -> Tape {
        let mut ops = Vec::new();
        let mut folded: Vec<Folded> = Vec::with_capacity(expr.nodes.len());
        for node in &expr.nodes {
            let f = match *node {
                Node::Number(v) => Folded::Constant(v),
                Node::Parameter(i) => Folded::Constant(parameters.get(i).copied().unwrap_or(f64::NAN)),
                Node::Variable(i) => Folded::Slot(emit(&mut ops, Op::Variable(i))),
                Node::Neg(a) => match folded[a] {
                    Folded::Constant(c) => Folded::Constant(-c),
                    Folded::Slot(s) => Folded::Slot(emit(&mut ops, Op::Neg(s))),
                },
                Node::Call(func, a) => match folded[a] {
                    Folded::Constant(c) => Folded::Constant(func.apply(c)),
                    Folded::Slot(s) => Folded::Slot(emit(&mut ops, Op::Call(func, s))),
                },
                Node::Binary(op, a, b) => match (folded[a], folded[b]) {
                    (Folded::Constant(x), Folded::Constant(y)) => Folded::Constant(binary(op, x, y)),
                    (Folded::Slot(s), Folded::Constant(c)) if op == BinOp::Pow => Folded::Slot(emit(&mut ops, Op::PowConstant(s, c))),
                    (fa, fb) => {
                        let (sa, sb) = (slot(&mut ops, fa), slot(&mut ops, fb));
                        let op = match op {
                            BinOp::Add => Op::Add(sa, sb),
                            BinOp::Sub => Op::Sub(sa, sb),
                            BinOp::Mul => Op::Mul(sa, sb),
                            BinOp::Div => Op::Div(sa, sb),
                            BinOp::Pow => Op::Pow(sa, sb),
                        };
                        Folded::Slot(emit(&mut ops, op))
                    }
                },
            };
            folded.push(f);
        }
        // The root is the last node: if it is a slot, it was the last one emitted.
        if let Some(&Folded::Constant(c)) = folded.last() {
            ops.push(Op::Constant(c));
        }
        Tape { ops }
    }

    /// The number of instructions.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// The formula at `x` (`x[i]` is the i-th variable), using `slots` as scratch space.
    #[inline]
    pub fn eval<T: Scalar>(&self, x: &[T], slots: &mut Vec<T>) -> T {
        slots.clear();
        for op in &self.ops {
            let v = match *op {
                Op::Constant(c) => T::constant(c),
                Op::Variable(i) => x[i],
                Op::Neg(a) => -slots[a],
                Op::Add(a, b) => slots[a] + slots[b],
                Op::Sub(a, b) => slots[a] - slots[b],
                Op::Mul(a, b) => slots[a] * slots[b],
                Op::Div(a, b) => slots[a] / slots[b],
                Op::PowConstant(a, c) => pow_constant(slots[a], c),
                Op::Pow(a, b) => pow(slots[a], slots[b]),
                Op::Call(f, a) => f.apply(slots[a]),
            };
            slots.push(v);
        }
        slots.last().copied().unwrap_or(T::constant(f64::NAN))
    }
}

fn emit(ops: &mut Vec<Op>, op: Op) -> usize {
    ops.push(op);
    ops.len() - 1
}

/// The slot holding `f`, emitting a constant if it has none.
fn slot(ops: &mut Vec<Op>, f: Folded) -> usize {
    match f {
        Folded::Slot(i) => i,
        Folded::Constant(c) => emit(ops, Op::Constant(c)),
    }
}

/// A binary operation on constants, as the tape would compute it.
fn binary(op: BinOp, x: f64, y: f64) -> f64 {
    match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => x / y,
        BinOp::Pow => pow_constant(x, y),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parser::{parse, Scope};
    use super::*;

    fn tape(text: &str, parameters: &[(&str, f64)]) -> Tape {
        let variables = vec!["x".to_string(), "y".to_string()];
        let names: Vec<String> = parameters.iter().map(|(n, _)| n.to_string()).collect();
        let values: Vec<f64> = parameters.iter().map(|&(_, v)| v).collect();
        let expr = parse(text, Scope { variables: &variables, parameters: &names }, "objective.formula", 0).unwrap();
        Tape::compile(&expr, &values)
    }

    fn at(text: &str, x: f64, y: f64) -> f64 {
        tape(text, &[]).eval(&[x, y], &mut Vec::new())
    }

    #[test]
    fn precedence_and_associativity() {
        for (text, value) in [
            ("2^3^2", 512.0),
            ("-2^2", -4.0),
            ("1-2-3", -4.0),
            ("8/2/2", 2.0),
            ("2^-1", 0.5),
            ("-2^-2", -0.25),
            ("2*3+4*5", 26.0),
            ("2*(3+4)*5", 70.0),
            ("--2", 2.0),
            ("2 - -2", 4.0),
        ] {
            assert_eq!(at(text, 0.0, 0.0), value, "{text}");
            // The same with a variable standing in for the 2, so nothing is folded.
            let with_x = text.replace('2', "x");
            // (Exact up to rounding: a variable exponent goes through exp(y·log x).)
            let v = at(&with_x, 2.0, 0.0);
            assert!((v - value).abs() <= 1e-14 * value.abs(), "{with_x} = {v}");
            assert!(tape(&with_x, &[]).len() > 1, "{with_x} is not folded");
        }
    }

    #[test]
    fn constants_and_parameters_fold() {
        assert_eq!(tape("2^3^2", &[]), Tape { ops: vec![Op::Constant(512.0)] });
        assert_eq!(
            tape("(x^2 - mu)^2/4", &[("mu", 3.0)]),
            Tape {
                ops: vec![
                    Op::Variable(0),
                    Op::PowConstant(0, 2.0),
                    Op::Constant(3.0),
                    Op::Sub(1, 2),
                    Op::PowConstant(3, 2.0),
                    Op::Constant(4.0),
                    Op::Div(4, 5),
                ]
            }
        );
        let t = tape("x * sqrt(a*a + 1) ^ (b - 1)", &[("a", 0.0), ("b", 3.0)]);
        assert_eq!(t, Tape { ops: vec![Op::Variable(0), Op::Constant(1.0), Op::Mul(0, 1)] });
        assert_eq!(tape("y^x", &[]).ops, [Op::Variable(1), Op::Variable(0), Op::Pow(0, 1)]);
        assert!(at("(-2)^x", 3.0, 0.0).is_nan(), "a variable exponent needs a positive base");
    }

    #[test]
    fn domain_errors_give_nan_or_infinity() {
        assert!(at("log(x)", -1.0, 0.0).is_nan());
        assert_eq!(at("log(x)", 0.0, 0.0), f64::NEG_INFINITY);
        assert!(at("sqrt(x - y)", 0.0, 1.0).is_nan());
        assert_eq!(at("1/x", 0.0, 0.0), f64::INFINITY);
        assert!(at("x/y", 0.0, 0.0).is_nan());
        assert_eq!(at("x^-1", 0.0, 0.0), f64::INFINITY);
        assert_eq!(at("x^3", -2.0, 0.0), -8.0);
    }
}
