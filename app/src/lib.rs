#![recursion_limit = "256"]
//! Minyi: the Leptos application (pages, server functions, domain rules). Built twice:
//! with `ssr` as a library of the server binary, with `hydrate` as the wasm bundle.

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod backend;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
