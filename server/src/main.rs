/// mimalloc instead of the system allocator: rendering a page is many small allocations
/// (measured in BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    minyi_server::cli::main()
}
