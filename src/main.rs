//! The `chartroom` binary: everything lives in the library; this only hands over the exit code.
//! It also picks the global allocator: chartroom is a short-lived process that allocates many
//! small objects (parse trees, values), where mimalloc is markedly faster than the system's.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    chartroom::cli::main()
}
