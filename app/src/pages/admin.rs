//! Administrators grant and revoke roles and link officials to their agency.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{
        admin::{search_users, ChangeRole, EndUserSessions, SetDisabled, SetUserAgency},
        proposals::list_agencies,
        types::{AdminUser, Agency},
    },
    components::errors::{ErrorPanel, FormError},
    domain::role::Role,
    i18n::{use_locale, Msg},
};

#[component]
pub fn AdminPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let change_role = ServerAction::<ChangeRole>::new();
    let set_agency = ServerAction::<SetUserAgency>::new();
    let account = AccountActions { disable: ServerAction::<SetDisabled>::new(), end: ServerAction::<EndUserSessions>::new() };
    let q = move || query.with(|q| q.get("q").unwrap_or_default());
    let after = move || query.with(|q| q.get("after").and_then(|a| a.parse::<i64>().ok()));
    let users = Resource::new(
        move || (q(), after(), change_role.version().get() + set_agency.version().get() + account.disable.version().get()),
        |(q, after, _)| search_users(q, after),
    );
    let agencies = Resource::new(|| (), |_| list_agencies());
    let error = Signal::derive(move || {
        change_role
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| set_agency.value().get().and_then(|r| r.err()))
            .or_else(|| account.disable.value().get().and_then(|r| r.err()))
            .or_else(|| account.end.value().get().and_then(|r| r.err()))
    });
    let ended = move || account.end.value().get().and_then(|r| r.ok());
    view! {
        <Title text=locale.t(Msg::AdminTitle)/>
        <h1>{locale.t(Msg::AdminTitle)}</h1>
        <form method="get" action="/admin" class="form inline-form" role="search">
            <label for="q">{locale.t(Msg::AdminSearch)}</label>
            <input id="q" name="q" type="search" value=q/>
            <button type="submit">{locale.t(Msg::AdminSearchSubmit)}</button>
        </form>
        <FormError error/>
        {move || ended().map(|n| view! { <p class="form-ok" role="status">{locale.fmt(Msg::AdminSessionsEnded, &[("n", &n)])}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let agencies = agencies.await.unwrap_or_default();
                match users.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(page) => {
                        let next = page.next.map(|after| view! {
                            <a class="pager" href=format!("/admin?q={}&after={after}", crate::components::layout::urlencode(&q()))>{locale.t(Msg::NextPage)}" →"</a>
                        });
                        view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label=locale.t(Msg::AdminTitle)>
                                <table class="users">
                                    <thead><tr>
                                        <th scope="col">{locale.t(Msg::FieldDisplayName)}</th>
                                        <th scope="col">{locale.t(Msg::FieldEmail)}</th>
                                        <th scope="col">{locale.t(Msg::AdminRoles)}</th>
                                        <th scope="col">{locale.t(Msg::AdminAgency)}</th>
                                        <th scope="col">{locale.t(Msg::AdminAccount)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|user| view! { <UserRow user agencies=agencies.clone() change_role set_agency account/> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserRow(
    user: AdminUser,
    agencies: Vec<Agency>,
    change_role: ServerAction<ChangeRole>,
    set_agency: ServerAction<SetUserAgency>,
    account: AccountActions,
) -> impl IntoView {
    let locale = use_locale();
    let id = user.id.to_string();
    let roles = Role::ALL
        .into_iter()
        .map(|role| {
            let id = id.clone();
            let held = user.roles.contains(&role);
            let label = format!("{} {}", if held { locale.t(Msg::AdminRevoke) } else { locale.t(Msg::AdminGrant) }, locale.role(role));
            view! {
                <ActionForm action=change_role attr:class="inline">
                    <input type="hidden" name="user_id" value=id.clone()/>
                    <input type="hidden" name="role" value=role.as_str()/>
                    <input type="hidden" name="grant" value=if held { "0" } else { "1" }/>
                    <button type="submit" class=if held { "chip chip-on" } else { "chip" } aria-pressed=held.to_string() title=label.clone()
                        data-testid=format!("role-{}-{}", user.id, role.as_str())>
                        {locale.role(role)}
                    </button>
                </ActionForm>
            }
        })
        .collect_view();
    let options = agencies
        .iter()
        .map(|a| view! { <option value=a.id.to_string() selected=user.agency_id == Some(a.id)>{a.name(locale).to_owned()}</option> })
        .collect_view();
    view! {
        <tr>
            <td>{user.display_name.clone()}</td>
            <td>{user.email.clone()}</td>
            <td class="roles">{roles}</td>
            <td>
                <ActionForm action=set_agency attr:class="inline">
                    <input type="hidden" name="user_id" value=id.clone()/>
                    <select name="agency_id" aria-label=locale.t(Msg::AdminAgency)>
                        <option value="" selected=user.agency_id.is_none()>{locale.t(Msg::AdminNoAgency)}</option>
                        {options}
                    </select>
                    <button type="submit" class="small">{locale.t(Msg::AdminSetAgency)}</button>
                </ActionForm>
            </td>
            <td>
                {user.disabled.then(|| view! { <span class="badge off">{locale.t(Msg::AdminDisabled)}</span>" " })}
                <ActionForm action=account.disable attr:class="inline">
                    <input type="hidden" name="user_id" value=user.id.to_string()/>
                    <input type="hidden" name="disable" value=if user.disabled { "0" } else { "1" }/>
                    <button type="submit" class="small secondary" data-testid=format!("disable-{}", user.id)>
                        {if user.disabled { locale.t(Msg::AdminEnable) } else { locale.t(Msg::AdminDisable) }}
                    </button>
                </ActionForm>
                <ActionForm action=account.end attr:class="inline">
                    <input type="hidden" name="user_id" value=user.id.to_string()/>
                    <button type="submit" class="small secondary">{locale.t(Msg::AdminEndSessions)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

/// The account actions of the user list: disable or enable, end every session.
#[derive(Clone, Copy)]
struct AccountActions {
    disable: ServerAction<SetDisabled>,
    end: ServerAction<EndUserSessions>,
}
