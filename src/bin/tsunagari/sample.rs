//! `sample`: the bundled fictitious sample survey (UTF-8 CSV), to a file or stdout.

use std::io::Write;
use std::path::PathBuf;

use crate::io::{self, write_file};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(a: Args, out: &mut impl Write) -> Result<(), String> {
    let bytes = tsunagari::sample::csv_bytes();
    match a.out {
        Some(path) => write_file(&path, bytes),
        None => out.write_all(&bytes).map_err(io::stdout),
    }
}
