fn main() -> std::process::ExitCode {
    minyi_server::cli::main()
}
