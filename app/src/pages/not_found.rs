use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::errors::ErrorPanel,
    error::AppError,
    i18n::{t, Msg},
};

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text=t(Msg::NotFoundTitle)/>
        <h1>{t(Msg::NotFoundTitle)}</h1>
        <ErrorPanel error=AppError::NotFound/>
    }
}
