//! The integer program in CPLEX LP format, for solving or inspecting with another solver
//! (HiGHS, CBC, SCIP, Gurobi, CPLEX all read it). The file is written from the same
//! [`Program`] the built-in search solves, so its optimum is the optimum of `ccsim schedule`.
//!
//! Names say what a variable is: `x_k2_d3_0730_480m` counts agents on template 2's 8-hour shift
//! logging in at 07:30 on day 3; `b_k2_d3_0730_480m_c0_o4` those of them taking break choice 0
//! at its position 4 (the comment above each shift lists the positions' break times).

use std::io::{self, Write};

use super::{Ctx, Program};
use crate::time::format_duration;

/// Terms per line: LP readers cap line lengths (CPLEX at 510 characters).
const TERMS_PER_LINE: usize = 6;

/// Writes `program` over the columns `col_idx` to `out`.
pub(super) fn write(ctx: &Ctx, col_idx: &[usize], program: &Program, out: &mut dyn Write) -> io::Result<()> {
    let Ctx { templates, columns, grid, .. } = *ctx;
    let mut names = vec![String::new(); program.cost.len()];
    for (k, &s) in col_idx.iter().enumerate() {
        let c = &columns[s];
        let minutes = |secs: f64| (secs / 60.0).round() as i64;
        let base = format!(
            "k{}_d{}_{:02}{:02}_{}m",
            c.template,
            c.day,
            minutes(c.start.secs()) / 60,
            minutes(c.start.secs()) % 60,
            minutes(c.length)
        );
        for (ch, vars) in program.b[k].iter().enumerate() {
            for (o, &v) in vars.iter().enumerate() {
                names[v] = format!("b_{base}_c{ch}_o{o}");
            }
        }
        names[program.x[k]] = format!("x_{base}");
    }

    writeln!(out, "\\ ccsim shift optimiser: minimise paid cost; agents on duty (logged in, not on break)")?;
    writeln!(
        out,
        "\\ >= required in every demanded interval. {} intervals of {}.",
        grid.len(),
        format_duration(grid.length())
    )?;
    writeln!(out, "\\ {} variables, {} constraints.", program.cost.len(), program.rows.len())?;
    for (k, &s) in col_idx.iter().enumerate() {
        let c = &columns[s];
        writeln!(
            out,
            "\\ {}: group {}, template {} ({}/h), day {}, {} for {}",
            names[program.x[k]],
            c.group,
            c.template,
            templates[c.template].cost_per_hour,
            c.day,
            c.start,
            format_duration(c.length)
        )?;
        for (ch, choice) in c.choices.iter().enumerate() {
            let positions: Vec<String> = choice
                .options
                .iter()
                .map(|o| {
                    let breaks: Vec<String> = o
                        .breaks
                        .iter()
                        .map(|b| format!("+{} {}", format_duration(b.offset), format_duration(b.length)))
                        .collect();
                    breaks.join(" & ")
                })
                .collect();
            writeln!(out, "\\   choice {ch}: positions {}", positions.join(" | "))?;
        }
    }

    writeln!(out, "Minimize")?;
    let objective: Vec<(usize, f64)> =
        program.cost.iter().enumerate().filter(|(_, c)| **c != 0.0).map(|(v, &c)| (v, c)).collect();
    write_terms(out, " cost:", &objective, &names)?;
    writeln!(out)?;
    writeln!(out, "Subject To")?;
    for row in &program.rows {
        write_terms(out, &format!(" {}:", row.name), &row.terms, &names)?;
        let sense = match row.sense {
            std::cmp::Ordering::Greater => ">=",
            std::cmp::Ordering::Equal => "=",
            std::cmp::Ordering::Less => "<=",
        };
        writeln!(out, " {sense} {}", row.rhs)?;
    }
    writeln!(out, "Bounds")?;
    for (v, upper) in program.upper.iter().enumerate() {
        if let Some(max) = upper {
            writeln!(out, " 0 <= {} <= {max}", names[v])?;
        }
    }
    writeln!(out, "General")?;
    for chunk in names.chunks(TERMS_PER_LINE) {
        writeln!(out, " {}", chunk.join(" "))?;
    }
    writeln!(out, "End")
}

/// `label` then `± coef name` terms, several lines when long; no line end after the last.
fn write_terms(out: &mut dyn Write, label: &str, terms: &[(usize, f64)], names: &[String]) -> io::Result<()> {
    write!(out, "{label}")?;
    if terms.is_empty() {
        // An empty row still needs a term; 0 times any variable is accepted by every reader.
        return write!(out, " 0 {}", names.first().map_or("x", String::as_str));
    }
    for (i, &(v, coef)) in terms.iter().enumerate() {
        if i > 0 && i % TERMS_PER_LINE == 0 {
            write!(out, "\n   ")?;
        }
        let sign = if coef < 0.0 { '-' } else { '+' };
        let magnitude = coef.abs();
        if magnitude == 1.0 {
            write!(out, " {sign} {}", names[v])?;
        } else {
            write!(out, " {sign} {magnitude} {}", names[v])?;
        }
    }
    Ok(())
}
