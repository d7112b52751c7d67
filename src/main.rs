//! The `civsearch` binary: parse arguments, run the subcommand, map errors to exit
//! codes (0 hits, 1 no hits, 2 error, 3 some inputs failed).

mod cli;

use clap::Parser;

/// mimalloc instead of glibc malloc: per-thread free lists with no locking,
/// which the extraction threads hit for every page.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = cli::Cli::parse();
    let code = match cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`civsearch query ... | head`) is not an error worth a message.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                0
            } else {
                eprintln!("civsearch: {err:#}");
                2
            }
        }
    };
    std::process::exit(code);
}
