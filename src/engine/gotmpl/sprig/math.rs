//! Sprig's arithmetic: integer functions on int64 (`add`, `sub`, `mul`, `div`, `mod`, `max`,
//! `min`, `add1`), float functions through decimals (`addf`, `divf`...), `floor`, `ceil`,
//! `round`, `randInt`. Integer overflow wraps and division by zero fails, as in Go.

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::value::{Param, Value};
use super::conv::{float_to_i64, to_float64, to_int64};
use super::{alias, def, defv, i};

fn div_zero() -> TemplateError {
    TemplateError::plain("runtime error: integer divide by zero")
}

/// shopspring/decimal's `NewFromFloat(x).Add/Sub/Mul/Div(...)` then `Float64()`, approximated
/// with exact decimal strings: the shortest representation of each operand, exact addition,
/// subtraction and multiplication, and 16-digit division like decimal's default precision.
fn decimal_op(a: f64, b: f64, op: char) -> f64 {
    let (ma, ea) = to_decimal(a);
    let (mb, eb) = to_decimal(b);
    match op {
        '+' | '-' => {
            let e = ea.min(eb);
            let (Some(xa), Some(xb)) =
                (ma.checked_mul(pow10(ea - e)), mb.checked_mul(pow10(eb - e)))
            else {
                return if op == '+' { a + b } else { a - b };
            };
            let r = if op == '+' { xa + xb } else { xa - xb };
            from_decimal(r, e)
        }
        '*' => match ma.checked_mul(mb) {
            Some(p) => from_decimal(p, ea + eb),
            None => a * b,
        },
        _ => {
            if mb == 0 {
                // decimal panics on division by zero.
                return f64::NAN;
            }
            // 16 digits after the point, ties away from zero (decimal.DivisionPrecision).
            let shift = ea - eb + 16;
            let num = if shift >= 0 {
                10i128
                    .checked_pow(shift as u32)
                    .and_then(|p| ma.checked_mul(p))
            } else {
                10i128.checked_pow((-shift) as u32).map(|p| ma / p)
            };
            let Some(num) = num else {
                return a / b;
            };
            let mut q = num / mb;
            let rem = num % mb;
            if rem != 0 && rem.unsigned_abs() * 2 >= mb.unsigned_abs() {
                q += if (num < 0) != (mb < 0) { -1 } else { 1 };
            }
            from_decimal(q, -16)
        }
    }
}

fn pow10(e: i32) -> i128 {
    10i128.checked_pow(e.max(0) as u32).unwrap_or(i128::MAX)
}

fn to_decimal(f: f64) -> (i128, i32) {
    if !f.is_finite() || f == 0.0 {
        return (0, 0);
    }
    let s = format!("{:e}", f);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let frac_len = mant
        .split_once('.')
        .map(|(_, f)| f.len() as i32)
        .unwrap_or(0);
    let m: i128 = digits.parse().unwrap_or(0);
    (if neg { -m } else { m }, exp - frac_len)
}

fn from_decimal(m: i128, e: i32) -> f64 {
    format!("{m}e{e}").parse().unwrap_or(f64::NAN)
}

fn go_round(val: f64, places: f64, round_on: f64) -> f64 {
    let pow = 10f64.powf(places);
    let digit = pow * val;
    let div = digit.fract();
    let r = if div >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    r / pow
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    def(m, "add1", &[Any], |_, a| {
        Ok(Value::Int64(to_int64(&a[0]).wrapping_add(1)))
    });
    defv(m, "add", &[], Any, |_, a| {
        Ok(Value::Int64(
            a.iter().fold(0i64, |acc, x| acc.wrapping_add(to_int64(x))),
        ))
    });
    def(m, "sub", &[Any, Any], |_, a| {
        Ok(Value::Int64(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
    });
    def(m, "div", &[Any, Any], |_, a| {
        let b = to_int64(&a[1]);
        if b == 0 {
            return Err(div_zero());
        }
        Ok(Value::Int64(to_int64(&a[0]).wrapping_div(b)))
    });
    def(m, "mod", &[Any, Any], |_, a| {
        let b = to_int64(&a[1]);
        if b == 0 {
            return Err(div_zero());
        }
        Ok(Value::Int64(to_int64(&a[0]).wrapping_rem(b)))
    });
    defv(m, "mul", &[Any], Any, |_, a| {
        Ok(Value::Int64(
            a[1..]
                .iter()
                .fold(to_int64(&a[0]), |acc, x| acc.wrapping_mul(to_int64(x))),
        ))
    });
    defv(m, "max", &[Any], Any, |_, a| {
        Ok(Value::Int64(a.iter().map(to_int64).max().unwrap_or(0)))
    });
    alias(m, "biggest", "max");
    defv(m, "min", &[Any], Any, |_, a| {
        Ok(Value::Int64(a.iter().map(to_int64).min().unwrap_or(0)))
    });
    defv(m, "maxf", &[Any], Any, |_, a| {
        Ok(Value::Float(
            a[1..]
                .iter()
                .map(to_float64)
                .fold(to_float64(&a[0]), f64::max),
        ))
    });
    defv(m, "minf", &[Any], Any, |_, a| {
        Ok(Value::Float(
            a[1..]
                .iter()
                .map(to_float64)
                .fold(to_float64(&a[0]), f64::min),
        ))
    });
    def(m, "floor", &[Any], |_, a| {
        Ok(Value::Float(to_float64(&a[0]).floor()))
    });
    def(m, "ceil", &[Any], |_, a| {
        Ok(Value::Float(to_float64(&a[0]).ceil()))
    });
    defv(m, "round", &[Any, Int], Float64, |_, a| {
        let round_on = a.get(2).map(to_float64).unwrap_or(0.5);
        Ok(Value::Float(go_round(
            to_float64(&a[0]),
            i(&a[1]) as f64,
            round_on,
        )))
    });
    def(m, "add1f", &[Any], |_, a| {
        Ok(Value::Float(decimal_op(to_float64(&a[0]), 1.0, '+')))
    });
    defv(m, "addf", &[], Any, |_, a| {
        Ok(Value::Float(
            a.iter()
                .fold(0.0, |acc, x| decimal_op(acc, to_float64(x), '+')),
        ))
    });
    for (name, op) in [("subf", '-'), ("mulf", '*'), ("divf", '/')] {
        defv(m, name, &[Any], Any, move |_, a| {
            let mut acc = to_float64(&a[0]);
            for x in &a[1..] {
                let b = to_float64(x);
                if op == '/' && b == 0.0 {
                    return Err(TemplateError::plain("decimal division by 0"));
                }
                acc = decimal_op(acc, b, op);
            }
            Ok(Value::Float(acc))
        });
    }
    def(m, "randInt", &[Int, Int], |_, a| {
        let (lo, hi) = (i(&a[0]), i(&a[1]));
        if hi <= lo {
            return Err(TemplateError::plain("invalid argument to Intn"));
        }
        let span = (hi - lo) as u64;
        Ok(Value::Int(lo + super::super::random::below(span) as i64))
    });
    let _ = float_to_i64;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        assert_eq!(decimal_op(0.1, 0.2, '+'), 0.3);
        assert_eq!(decimal_op(1.5, 2.0, '*'), 3.0);
        assert_eq!(decimal_op(10.0, 4.0, '/'), 2.5);
        assert_eq!(decimal_op(1.0, 3.0, '/'), 0.3333333333333333);
        assert_eq!(decimal_op(3.3, 1.1, '-'), 2.2);
    }

    #[test]
    fn rounding() {
        assert_eq!(go_round(1.23456, 2.0, 0.5), 1.23);
        assert_eq!(go_round(2.5, 0.0, 0.5), 3.0);
        assert_eq!(go_round(123.5555, 3.0, 0.5), 123.556);
    }
}
