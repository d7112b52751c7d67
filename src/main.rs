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
    if !matches!(cli.command, cli::Command::Serve(_)) {
        end_quietly_on_closed_pipe();
    }
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

/// Rust ignores SIGPIPE, so a write to a closed pipe (`civsearch stats | head -1`)
/// fails, and `println!` turns that failure into a panic with a backtrace. A
/// command that writes to a pipe should end the way `cat` and `grep` do: quietly,
/// when the reader has gone. The server keeps SIGPIPE ignored: a client that
/// hangs up must cost one connection, not the process.
fn end_quietly_on_closed_pipe() {
    // SAFETY: called once at start-up, before any thread exists; SIG_DFL is a
    // valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
