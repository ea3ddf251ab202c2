//! keylint: a fast static secret-hygiene linter.
//!
//! The library never prints except through `report/`, which writes to the writers it is given.
//! `main.rs` parses arguments, calls [`run`], and exits with the code it returns.

pub mod classify;
pub mod cli;
pub mod config;
pub mod engine;
pub mod error;
pub mod file_kind;
pub mod finding;
pub mod kinds;
pub mod patterns;
pub mod repo;
pub mod report;
pub mod rule;
pub mod source;
pub mod suppress;
pub mod walk;
pub mod yaml;

use cli::{CheckArgs, Cli, Command, FailOn, Format, RulesCommand};
use config::Settings;
use error::Error;
use rule::{RuleInfo, Severity};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Exit codes.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let result = match cli.command {
        None => check(cli.check, stdout, stderr),
        Some(Command::Check(args)) => check(args, stdout, stderr),
        Some(Command::Rules(args)) => match args.command {
            None => list_rules(args.format == cli::ListFormat::Json, stdout),
            Some(RulesCommand::Check { file }) => check_rule_file(&file, stdout),
        },
        Some(Command::Rule { id }) => rule_doc(&id, stdout),
    };
    match result {
        Ok(code) => code,
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let _ = report::write_error(&e, stderr_color(), stderr);
            EXIT_ERROR
        }
    }
}

fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// Every rule: kind-aware rules, then secret patterns, each sorted by id.
pub fn all_rules(settings: Option<&Settings>) -> Result<Vec<RuleInfo>, Error> {
    let mut out: Vec<RuleInfo> = kinds::RULES
        .iter()
        .map(|r| RuleInfo {
            id: r.id.to_string(),
            name: r.name.to_string(),
            kind: r.kind,
            severity: r.severity,
            file_kinds: r.file_kinds.iter().map(|s| s.to_string()).collect(),
            summary: r.summary(),
            docs: r.docs.to_string(),
            family: None,
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    let mut secret: Vec<RuleInfo> = match settings {
        Some(s) => s.patterns.rules.iter().map(|p| p.info()).collect(),
        None => {
            let p = patterns::Patterns::compile(
                patterns::Patterns::builtin_defs()?,
                Default::default(),
            )?;
            p.rules.iter().map(|p| p.info()).collect()
        }
    };
    secret.sort_by(|a, b| a.id.cmp(&b.id));
    out.extend(secret);
    Ok(out)
}

fn list_rules(json: bool, out: &mut dyn Write) -> Result<u8, Error> {
    let rules = all_rules(None)?;
    report::write_rules(&rules, json, out).map_err(Error::Output)?;
    Ok(EXIT_OK)
}

fn rule_doc(id: &str, out: &mut dyn Write) -> Result<u8, Error> {
    let rules = all_rules(None)?;
    match rules.iter().find(|r| r.id == id) {
        Some(r) => {
            report::write_rule_doc(r, out).map_err(Error::Output)?;
            Ok(EXIT_OK)
        }
        None => Err(Error::Usage(format!(
            "no rule `{id}`; `keylint rules` lists them"
        ))),
    }
}

/// `keylint rules check FILE`: a rules file (`family = …` + `[[rule]]`) or a keylint.toml.
fn check_rule_file(path: &Path, out: &mut dyn Write) -> Result<u8, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let origin = patterns::Origin {
        builtin: false,
        name: path.to_path_buf(),
        text: std::sync::Arc::new(text),
    };
    let defs = if toml::from_str::<toml::Table>(&origin.text)
        .is_ok_and(|t| t.contains_key("family"))
    {
        patterns::parse_rule_file(&origin)?
    } else {
        let cfg: config::ConfigFile = toml::from_str(&origin.text)
            .map_err(|e| Error::in_file(path, &origin.text, e.span(), e.message().to_string()))?;
        cfg.rule
            .into_iter()
            .map(|d| (d, "User".to_string(), origin.clone()))
            .collect()
    };
    let compiled = patterns::Patterns::compile(defs, Default::default())?;
    let mut rep = patterns::ExampleReport::default();
    for p in &compiled.rules {
        patterns::check_examples(p, &compiled, &mut rep);
        if p.negative_examples.is_empty() {
            rep.failures.push(format!("{}: no negative examples", p.id));
        }
    }
    let w = |out: &mut dyn Write, s: String| writeln!(out, "{s}").map_err(Error::Output);
    for f in &rep.failures {
        w(out, format!("FAIL {f}"))?;
    }
    w(
        out,
        format!(
            "{}: {} rules, {} examples checked, {} failures",
            path.display(),
            compiled.rules.len(),
            rep.checked,
            rep.failures.len()
        ),
    )?;
    Ok(if rep.failures.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}

/// The git work tree containing `start`, if any.
pub fn git_root(start: &Path) -> Option<PathBuf> {
    config::dirs_upward(start)
        .into_iter()
        .find(|d| d.join(".git").exists())
}

fn check(args: CheckArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Result<u8, Error> {
    let started = Instant::now();
    let stdin_mode = args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin_mode && args.stdin_filename.is_none() {
        return Err(Error::Usage(
            "reading standard input (`-`) needs --stdin-filename NAME".into(),
        ));
    }
    if !stdin_mode && args.stdin_filename.is_some() {
        return Err(Error::Usage(
            "--stdin-filename needs `-` among the paths".into(),
        ));
    }
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
            .iter()
            .filter(|p| p.as_os_str() != "-")
            .cloned()
            .collect()
    };
    let anchor = args
        .stdin_filename
        .clone()
        .or_else(|| paths.first().cloned())
        .unwrap_or_else(|| PathBuf::from("."));
    let config_path = match &args.config {
        Some(p) => Some(p.clone()),
        None => config::discover(&anchor),
    };
    let cfg = config::load(config_path.as_deref())?;
    let settings = Settings::resolve(
        cfg,
        config::Overrides {
            select: args.select.clone(),
            ignore: args.ignore.clone(),
            max_file_size: args.max_file_size,
            show_secrets: args.show_secrets,
        },
    )?;
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    let walk_opts = walk::WalkOptions {
        no_ignore: args.no_ignore,
        force_exclude: args.force_exclude,
        threads,
    };
    let mut outcome = pool.install(|| {
        let mut walked = walk::collect(&paths, &settings, walk_opts);
        if let Some(name) = &args.stdin_filename {
            let excluded = args.force_exclude
                && (settings.exclude.is_match(&settings.rel(name))
                    || (!args.no_ignore && walk::is_ignored(name)));
            if !excluded {
                let mut text = Vec::new();
                match std::io::stdin().read_to_end(&mut text) {
                    Ok(_) => walked.candidates.push(engine::Candidate {
                        path: walk::display_path(name),
                        text: Some(String::from_utf8_lossy(&text).into_owned()),
                        git_ignored: false,
                    }),
                    Err(e) => walked.errors.push(finding::FileError {
                        path: PathBuf::from("-"),
                        message: e.to_string(),
                    }),
                }
            }
        }
        let repo_ctx = repo::RepoContext {
            root: git_root(&anchor).or_else(|| std::path::absolute(&anchor).ok()),
            partial: stdin_mode || paths.iter().any(|p| !p.is_dir()),
        };
        let mut outcome = engine::run(walked.candidates, &settings, &repo_ctx);
        outcome.errors.extend(walked.errors);
        engine::finish(&mut outcome);
        outcome
    });
    outcome.summary.elapsed_seconds = started.elapsed().as_secs_f64();

    let rules = if args.format == Format::Sarif {
        all_rules(Some(&settings))?
    } else {
        Vec::new()
    };
    let color = match args.color {
        cli::Color::Always => true,
        cli::Color::Never => false,
        cli::Color::Auto => {
            args.output.is_none()
                && std::env::var_os("NO_COLOR").is_none()
                && std::io::stdout().is_terminal()
        }
    };
    let opts = report::Options {
        show_secrets: args.show_secrets,
        color,
        quiet: args.quiet,
        width: 80,
    };
    let mut file_out;
    let out: &mut dyn Write = match &args.output {
        Some(p) => {
            file_out =
                std::io::BufWriter::new(std::fs::File::create(p).map_err(|e| Error::io(p, e))?);
            &mut file_out
        }
        None => stdout,
    };
    let written = match args.format {
        Format::Human => report::human::write(&outcome, &opts, out),
        Format::Json => report::json::write(&outcome, args.show_secrets, out),
        Format::Sarif => report::sarif::write(&outcome, &rules, out),
        Format::Github => report::github::write(&outcome, out),
    };
    written.and_then(|_| out.flush()).map_err(Error::Output)?;
    report::write_diagnostics(&outcome, args.quiet, stderr).map_err(Error::Output)?;

    if !outcome.errors.is_empty() {
        return Ok(EXIT_ERROR);
    }
    let threshold = match args.fail_on {
        FailOn::Warning => Severity::Warning,
        FailOn::Error => Severity::Error,
    };
    let failing = outcome.findings.iter().any(|f| f.severity >= threshold);
    Ok(if failing && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
