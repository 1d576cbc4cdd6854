//! The grammar of formulas, parsed by recursive descent with an explicit depth cap, into an
//! expression whose nodes are stored children first (a node's operands always precede it, the
//! root is last), so that everything after parsing walks it with a loop, never recursion.
//!
//! ```text
//! expression := term (('+' | '-') term)*          left-associative
//! term       := unary (('*' | '/') unary)*        left-associative
//! unary      := '-' unary | power                 -x^2 = -(x^2)
//! power      := primary ('^' unary)?              right-associative: 2^3^2 = 2^9; 2^-1 = 0.5
//! primary    := number | name | function '(' expression ')' | '(' expression ')'
//! ```
//! Multiplication is always written: `2x`, `2(x)` and `x y` are refused ("expected an
//! operator"). Every `(`, function call, unary minus and exponent opens a nesting level; at most
//! [`MAX_DEPTH`] are allowed, which bounds the parser's recursion.

use super::function::Func;
use super::lexer::{Kind, Lexer, Token};
use crate::error::{Result, SpecError};

/// Longest formula, in characters. Every node of the expression consumes at least one character
/// of its own (a number, a name, an operator or a function name), so a formula has at most this
/// many nodes.
pub(super) const MAX_LEN: usize = 500;

/// Deepest nesting of parentheses, function calls, unary minus and exponents.
pub(super) const MAX_DEPTH: usize = 64;

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

/// One node of an expression; operands are indices of earlier nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Node {
    Number(f64),
    /// The i-th variable.
    Variable(usize),
    /// The i-th parameter.
    Parameter(usize),
    Neg(usize),
    Binary(BinOp, usize, usize),
    Call(Func, usize),
}

/// A parsed formula: nodes children first, the root last (never empty).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Expr {
    pub nodes: Vec<Node>,
}

/// The names a formula may use.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scope<'a> {
    pub variables: &'a [String],
    pub parameters: &'a [String],
}

impl Scope<'_> {
    /// "variables: x, y; parameters: mu", for messages.
    fn describe(&self) -> String {
        let list = |what: &str, names: &[String]| {
            if names.is_empty() {
                format!("no {what}")
            } else {
                format!("{what}: {}", names.join(", "))
            }
        };
        format!("{}; {}", list("variables", self.variables), list("parameters", self.parameters))
    }
}

/// Parses `text`, whose first character sits at column `offset + 1` of the text of `field`
/// (errors name `field` and give columns in that text).
pub(super) fn parse(text: &str, scope: Scope<'_>, field: &str, offset: usize) -> Result<Expr> {
    let len = text.chars().count();
    if len > MAX_LEN {
        return Err(SpecError::new(field, format!("is {len} characters long; at most {MAX_LEN} are allowed")));
    }
    if text.trim().is_empty() {
        return Err(SpecError::new(field, "is empty: write an expression such as x^2 + y^2"));
    }
    let mut lexer = Lexer::new(text, offset, field);
    let token = lexer.next_token()?;
    let mut parser = Parser { lexer, token, nodes: Vec::new(), scope, field };
    parser.expression(0)?;
    match parser.token.kind {
        Kind::End => Ok(Expr { nodes: parser.nodes }),
        Kind::Close => Err(parser.error(format!("unexpected ')' at column {}: no '(' is open", parser.token.column))),
        _ => Err(parser.operator_expected()),
    }
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    /// The current, not yet consumed, token.
    token: Token,
    nodes: Vec<Node>,
    scope: Scope<'a>,
    field: &'a str,
}

impl Parser<'_> {
    fn error(&self, message: String) -> SpecError {
        SpecError::new(self.field, message)
    }

    fn advance(&mut self) -> Result<Token> {
        let next = self.lexer.next_token()?;
        Ok(std::mem::replace(&mut self.token, next))
    }

    fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// One level deeper than `depth`, for a construct starting at `column`.
    fn deeper(&self, depth: usize, column: usize) -> Result<usize> {
        if depth >= MAX_DEPTH {
            return Err(self.error(format!(
                "nested more than {MAX_DEPTH} levels deep at column {column} (each '(', function call, \
                 unary minus and exponent opens a level)"
            )));
        }
        Ok(depth + 1)
    }

    /// The current token follows a complete operand, but is not an operator.
    fn operator_expected(&self) -> SpecError {
        self.error(format!(
            "expected an operator at column {} (found {}; multiplication must be written with '*')",
            self.token.column,
            self.token.describe()
        ))
    }

    fn expression(&mut self, depth: usize) -> Result<usize> {
        let mut left = self.term(depth)?;
        loop {
            let op = match self.token.kind {
                Kind::Plus => BinOp::Add,
                Kind::Minus => BinOp::Sub,
                _ => return Ok(left),
            };
            self.advance()?;
            let right = self.term(depth)?;
            left = self.push(Node::Binary(op, left, right));
        }
    }

    fn term(&mut self, depth: usize) -> Result<usize> {
        let mut left = self.unary(depth)?;
        loop {
            let op = match self.token.kind {
                Kind::Star => BinOp::Mul,
                Kind::Slash => BinOp::Div,
                _ => return Ok(left),
            };
            self.advance()?;
            let right = self.unary(depth)?;
            left = self.push(Node::Binary(op, left, right));
        }
    }

    fn unary(&mut self, depth: usize) -> Result<usize> {
        if self.token.kind != Kind::Minus {
            return self.power(depth);
        }
        let minus = self.advance()?;
        let operand = self.unary(self.deeper(depth, minus.column)?)?;
        Ok(self.push(Node::Neg(operand)))
    }

    fn power(&mut self, depth: usize) -> Result<usize> {
        let base = self.primary(depth)?;
        if self.token.kind != Kind::Caret {
            return Ok(base);
        }
        let caret = self.advance()?;
        let exponent = self.unary(self.deeper(depth, caret.column)?)?;
        Ok(self.push(Node::Binary(BinOp::Pow, base, exponent)))
    }

    fn primary(&mut self, depth: usize) -> Result<usize> {
        match self.token.kind {
            Kind::Number(v) => {
                self.advance()?;
                Ok(self.push(Node::Number(v)))
            }
            Kind::Name => self.name(depth),
            Kind::Open => {
                let open = self.advance()?;
                self.parenthesized(depth, open)
            }
            Kind::End => {
                Err(self.error(format!("unexpected end of input at column {}: expected a number, a name or '('", self.token.column)))
            }
            _ => Err(self.error(format!(
                "unexpected {} at column {}: expected a number, a name or '('",
                self.token.describe(),
                self.token.column
            ))),
        }
    }

    /// A variable, a parameter or a function call.
    fn name(&mut self, depth: usize) -> Result<usize> {
        let name = self.advance()?;
        let called = self.token.kind == Kind::Open;
        if let Some(func) = Func::named(&name.text) {
            if !called {
                return Err(self.error(format!("`{0}` at column {1} is a function: write {0}(…)", name.text, name.column)));
            }
            let open = self.advance()?;
            let argument = self.parenthesized(depth, open)?;
            return Ok(self.push(Node::Call(func, argument)));
        }
        let find = |names: &[String]| names.iter().position(|n| *n == name.text);
        if let Some(i) = find(self.scope.variables) {
            return Ok(self.push(Node::Variable(i)));
        }
        if let Some(i) = find(self.scope.parameters) {
            return Ok(self.push(Node::Parameter(i)));
        }
        if called {
            return Err(self.error(format!("unknown function `{}` at column {} (functions: {})", name.text, name.column, Func::list())));
        }
        Err(self.error(format!("unknown name `{}` at column {} ({})", name.text, name.column, self.scope.describe())))
    }

    /// The expression after an opening parenthesis `open`, and its closing parenthesis.
    fn parenthesized(&mut self, depth: usize, open: Token) -> Result<usize> {
        let inner = self.expression(self.deeper(depth, open.column)?)?;
        match self.token.kind {
            Kind::Close => {
                self.advance()?;
                Ok(inner)
            }
            Kind::End => Err(self.error(format!("unbalanced parentheses: the '(' at column {} is never closed", open.column))),
            _ => Err(self.operator_expected()),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The expression printed with the fewest parentheses that parse back to the same nodes
    /// (a loop over the nodes, children first, like every other walk).
    pub fn print(expr: &Expr, scope: Scope<'_>) -> String {
        // Binding strength: sums 1, products 2, unary minus 3, powers 4, atoms 5.
        let mut printed: Vec<(String, u8)> = Vec::new();
        let wrap = |(text, strength): &(String, u8), at_least: u8| {
            if *strength >= at_least {
                text.clone()
            } else {
                format!("({text})")
            }
        };
        for node in &expr.nodes {
            let entry = match *node {
                Node::Number(v) => (format!("{v:?}"), 5),
                Node::Variable(i) => (scope.variables[i].clone(), 5),
                Node::Parameter(i) => (scope.parameters[i].clone(), 5),
                Node::Neg(a) => (format!("-{}", wrap(&printed[a], 3)), 3),
                Node::Call(f, a) => (format!("{}({})", f.name(), printed[a].0), 5),
                Node::Binary(BinOp::Pow, a, b) => (format!("{}^{}", wrap(&printed[a], 5), wrap(&printed[b], 3)), 4),
                Node::Binary(op, a, b) => {
                    let (symbol, strength) = match op {
                        BinOp::Add => (" + ", 1),
                        BinOp::Sub => (" - ", 1),
                        BinOp::Mul => ("*", 2),
                        _ => ("/", 2),
                    };
                    (format!("{}{symbol}{}", wrap(&printed[a], strength), wrap(&printed[b], strength + 1)), strength)
                }
            };
            printed.push(entry);
        }
        printed.pop().map(|(text, _)| text).unwrap_or_default()
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn with_xy_mu<T>(f: impl FnOnce(Scope<'_>) -> T) -> T {
        let (variables, parameters) = (names(&["x", "y"]), names(&["mu"]));
        f(Scope { variables: &variables, parameters: &parameters })
    }

    fn message(text: &str) -> String {
        with_xy_mu(|scope| {
            let e = parse(text, scope, "objective.formula", 0).unwrap_err();
            assert_eq!(e.field, "objective.formula", "{text:?}");
            e.message
        })
    }

    #[test]
    fn prints_with_minimal_parentheses_and_round_trips() {
        let cases = [
            ("(1 - x*y)^2 + (x^2 + y^2)/20", "(1.0 - x*y)^2.0 + (x^2.0 + y^2.0)/20.0"),
            ("2^3^2", "2.0^3.0^2.0"),
            ("(2^3)^2", "(2.0^3.0)^2.0"),
            ("-2^2", "-2.0^2.0"),
            ("(-2)^2", "(-2.0)^2.0"),
            ("2^-x", "2.0^-x"),
            ("1-2-3", "1.0 - 2.0 - 3.0"),
            ("1-(2-3)", "1.0 - (2.0 - 3.0)"),
            ("8/2/2", "8.0/2.0/2.0"),
            ("8/(2*2)", "8.0/(2.0*2.0)"),
            ("--x", "--x"),
            ("-(x+y)*mu", "-(x + y)*mu"),
            ("sin(cos(x))^2 * exp(-y)", "sin(cos(x))^2.0*exp(-y)"),
            ("1e-7 + 2.5E10*x", "1e-7 + 25000000000.0*x"),
            ("((((x))))", "x"),
            ("x * (y * mu)", "x*(y*mu)"),
        ];
        with_xy_mu(|scope| {
            for (text, expected) in cases {
                let expr = parse(text, scope, "objective.formula", 0).unwrap();
                let printed = print(&expr, scope);
                assert_eq!(printed, expected, "{text:?}");
                let again = parse(&printed, scope, "objective.formula", 0).unwrap();
                assert_eq!(again, expr, "{text:?} printed as {printed:?}");
            }
        });
    }

    #[test]
    fn errors_say_what_and_at_which_column() {
        let cases = [
            ("", "is empty: write an expression such as x^2 + y^2"),
            ("   ", "is empty: write an expression such as x^2 + y^2"),
            ("sin(x+)", "unexpected ')' at column 7: expected a number, a name or '('"),
            ("sinh(x)", "unknown function `sinh` at column 1 (functions: sin, cos, tan, tanh, exp, log, sqrt, abs)"),
            ("x + y + z", "unknown name `z` at column 9 (variables: x, y; parameters: mu)"),
            ("2 x", "expected an operator at column 3 (found `x`; multiplication must be written with '*')"),
            ("2*x y", "expected an operator at column 5 (found `y`; multiplication must be written with '*')"),
            ("2(x)", "expected an operator at column 2 (found '('; multiplication must be written with '*')"),
            ("(x)(y)", "expected an operator at column 4 (found '('; multiplication must be written with '*')"),
            ("(x 2)", "expected an operator at column 4 (found `2`; multiplication must be written with '*')"),
            ("x(y)", "expected an operator at column 2 (found '('; multiplication must be written with '*')"),
            ("(x + 1", "unbalanced parentheses: the '(' at column 1 is never closed"),
            ("x * (y + (1)", "unbalanced parentheses: the '(' at column 5 is never closed"),
            ("x + 1)", "unexpected ')' at column 6: no '(' is open"),
            (")", "unexpected ')' at column 1: expected a number, a name or '('"),
            ("x +", "unexpected end of input at column 4: expected a number, a name or '('"),
            ("x + * y", "unexpected '*' at column 5: expected a number, a name or '('"),
            ("+x", "unexpected '+' at column 1: expected a number, a name or '('"),
            ("x^^2", "unexpected '^' at column 3: expected a number, a name or '('"),
            ("sin x", "`sin` at column 1 is a function: write sin(…)"),
            ("sin", "`sin` at column 1 is a function: write sin(…)"),
            ("μ + x", "unknown name `μ` at column 1 (variables: x, y; parameters: mu)"),
            ("−μ + mu", "unknown name `μ` at column 2 (variables: x, y; parameters: mu)"),
        ];
        for (text, expected) in cases {
            assert_eq!(message(text), expected, "{text:?}");
        }
    }

    #[test]
    fn depth_and_length_are_capped() {
        let ok = format!("{}x{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        with_xy_mu(|scope| assert!(parse(&ok, scope, "objective.formula", 0).is_ok()));
        let deep = format!("{}x{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        let nested = |column: usize| {
            format!(
                "nested more than 64 levels deep at column {column} (each '(', function call, unary minus \
                 and exponent opens a level)"
            )
        };
        assert_eq!(message(&deep), nested(MAX_DEPTH + 1));
        assert_eq!(message(&format!("{}x", "-".repeat(200))), nested(65));
        assert_eq!(message(&"x^".repeat(100)[..199]), nested(130));
        assert_eq!(message(&format!("{}x{}", "sin(".repeat(80), ")".repeat(80))), nested(260));
        let long = format!("x{}", " + x".repeat(MAX_LEN / 4));
        assert_eq!(message(&long), "is 501 characters long; at most 500 are allowed");
        // The longest formula has at most one node per character.
        let widest = format!("x{}", "+x".repeat((MAX_LEN - 1) / 2));
        with_xy_mu(|scope| {
            let expr = parse(&widest, scope, "objective.formula", 0).unwrap();
            assert_eq!(expr.nodes.len(), widest.chars().count());
        });
        let longest_minus = format!("{}x{}", "-(".repeat(MAX_DEPTH / 2), ")".repeat(MAX_DEPTH / 2));
        with_xy_mu(|scope| assert!(parse(&longest_minus, scope, "objective.formula", 0).is_ok()));
    }

    #[test]
    fn columns_are_offset_inside_a_larger_text() {
        let e = with_xy_mu(|scope| parse("1 + z", scope, "objective.params", 10).unwrap_err());
        assert_eq!(e.field, "objective.params");
        assert_eq!(e.message, "unknown name `z` at column 15 (variables: x, y; parameters: mu)");
    }
}
