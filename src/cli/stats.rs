//! `civsearch stats`: what the index holds.

use anyhow::Result;
use civsearch::index::stats::stats;
use civsearch::index::{CivIndex, resolve_index_dir};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `civsearch stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Index folder [default: $CIVSEARCH_INDEX, else ./index]
    #[arg(long)]
    pub index: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatsFormat,
    /// List every outlet, not only the top ones.
    #[arg(long)]
    pub all_outlets: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum StatsFormat {
    Text,
    Json,
}

pub fn run(args: &StatsArgs) -> Result<i32> {
    let idx = CivIndex::open(&resolve_index_dir(args.index.as_deref()))?;
    let s = stats(&idx)?;
    match args.format {
        StatsFormat::Json => println!("{}", serde_json::to_string_pretty(&s)?),
        StatsFormat::Text => {
            println!("index:      {}", s.index);
            println!("documents:  {}", s.documents);
            println!("undated:    {}", s.undated);
            match (s.first_date, s.last_date) {
                (Some(a), Some(b)) => println!("dates:      {a} to {b}"),
                _ => println!("dates:      none"),
            }
            println!(
                "size:       {:.1} MiB in {}",
                s.size_bytes as f64 / 1048576.0,
                super::count_of(s.segments as u64, "segment", "segments")
            );
            println!("outlets:    {}", s.outlets.len());
            for line in super::outlet_lines(&s.outlets, super::TOP_OUTLETS, args.all_outlets) {
                println!("  {}", civsearch::hygiene::escape_controls(&line));
            }
        }
    }
    Ok(0)
}
