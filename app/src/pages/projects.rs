//! Projects (key, major investment, environmental-impact): the list, the register form
//! for officials, and each project with its gate checklist, "proceed" and "halt".

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::gates::{get_project, list_projects, HaltProject, ProceedProject, RegisterProject},
    app::Session,
    components::errors::{action_error, invalid, ErrorPanel, FieldError, FormError},
    domain::{
        gate::GateSubject,
        project::{ProjectKind, ProjectStatus},
        role::Role,
        time::format_local_date,
    },
    error::AppError,
    i18n::{use_locale, Msg},
    pages::gates::{BoardActions, GateBoardSection},
};

fn status_class(status: ProjectStatus) -> String {
    format!("tag project-{}", status.as_str())
}

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let session = Session::use_session();
    let register = ServerAction::<RegisterProject>::new();
    let before = move || query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok()));
    let projects = Resource::new(move || (before(), register.version().get()), |(before, _)| list_projects(before));
    // after registering, go to the new project
    Effect::new(move |_| {
        if let Some(Ok(id)) = register.value().get() {
            leptos_router::hooks::use_navigate()(&format!("/projects/{id}"), Default::default());
        }
    });
    view! {
        <Title text=locale.t(Msg::ProjectsTitle)/>
        <h1>{locale.t(Msg::ProjectsTitle)}</h1>
        <p class="lead">{locale.t(Msg::ProjectsLead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let official = session.viewer.await.ok().flatten().is_some_and(|v| v.has(Role::Official) && v.agency_id.is_some());
                official.then(|| view! { <RegisterForm action=register/> })
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match projects.await {
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">{locale.t(Msg::ProjectsEmpty)}</p> }.into_any(),
                    Ok(page) => view! {
                        <ul class="project-list">
                            {page.items.into_iter().map(|p| view! {
                                <li class="card">
                                    <p class="meta">
                                        <span class=status_class(p.status)>{locale.project_status(p.status)}</span>" "
                                        {locale.project_kind(p.kind)}" · "{p.agency.name(locale).to_owned()}" · "{format_local_date(p.created_at)}
                                    </p>
                                    <h2><a href=format!("/projects/{}", p.id)>{p.title.clone()}</a></h2>
                                    {p.halted_reason.clone().map(|r| view! { <p class="halted">{locale.t(Msg::HaltedBecause)}{r}</p> })}
                                </li>
                            }).collect_view()}
                        </ul>
                        {page.next.map(|next| view! { <a class="button" href=format!("/projects?before={next}")>{locale.t(Msg::NextPage)}</a> })}
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RegisterForm(action: ServerAction<RegisterProject>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action);
    view! {
        <details class="tool panel">
            <summary>{locale.t(Msg::RegisterProjectTitle)}</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                <FormError error/>
                <label for="project-kind">{locale.t(Msg::FieldKind)}</label>
                <select id="project-kind" name="kind" aria-invalid=invalid(error, "kind")>
                    {ProjectKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{locale.project_kind(*k)}</option> }).collect_view()}
                </select>
                <FieldError error field="kind"/>
                <label for="project-title">{locale.t(Msg::FieldTitle)}</label>
                <input id="project-title" name="title" type="text" maxlength="200" aria-invalid=invalid(error, "title")/>
                <FieldError error field="title"/>
                <label for="project-summary">{locale.t(Msg::ProjectSummaryField)}</label>
                <textarea id="project-summary" name="summary" rows="5" aria-invalid=invalid(error, "summary")></textarea>
                <FieldError error field="summary"/>
                <button type="submit">{locale.t(Msg::RegisterProjectButton)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn ProjectPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let session = Session::use_session();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let proceed = ServerAction::<ProceedProject>::new();
    let halt = ServerAction::<HaltProject>::new();
    // an assessment submitted or decided moves the project's state too
    let board = BoardActions::new();
    let project = Resource::new(
        move || (id(), proceed.version().get(), halt.version().get(), board.submit.version().get(), board.decide.version().get()),
        |(id, ..)| async move {
            match id {
                Some(id) => get_project(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let changes = Signal::derive(move || proceed.version().get() + halt.version().get());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let viewer = session.viewer.await.ok().flatten();
                match project.await {
                    Ok(p) => {
                        let s = p.summary.clone();
                        let own = viewer.as_ref().is_some_and(|v| v.may_publish_for(s.agency.id));
                        let may_halt = own || viewer.as_ref().is_some_and(|v| v.has(Role::Reviewer));
                        let proceed_error = action_error(proceed);
                        let halt_error = action_error(halt);
                        let id = s.id;
                        view! {
                            <Title text=s.title.clone()/>
                            <article class="project">
                                <header>
                                    <p class="meta">
                                        <span class=status_class(s.status) data-testid="project-status">{locale.project_status(s.status)}</span>" "
                                        {locale.project_kind(s.kind)}" · "{s.agency.name(locale).to_owned()}
                                    </p>
                                    <h1>{s.title.clone()}</h1>
                                    {s.halted_reason.clone().map(|r| view! { <p class="halted" role="status">{locale.t(Msg::HaltedBecause)}{r}</p> })}
                                </header>
                                <p class="prewrap">{p.description.clone()}</p>
                            </article>
                            <GateBoardSection subject=GateSubject::Project(id) extra_version=changes actions=board>
                                {move || (own && s.status != ProjectStatus::Proceeding).then(|| view! {
                                    <ActionForm action=proceed attr:class="inline">
                                        <input type="hidden" name="project_id" value=id.to_string()/>
                                        <FormError error=proceed_error/>
                                        <button type="submit">{locale.t(Msg::ProceedButton)}</button>
                                    </ActionForm>
                                })}
                            </GateBoardSection>
                            {(may_halt && s.status != ProjectStatus::Halted).then(|| view! {
                                <details class="tool panel">
                                    <summary>{locale.t(Msg::HaltTitle)}</summary>
                                    <ActionForm action=halt attr:class="form" attr:novalidate="">
                                        <FormError error=halt_error/>
                                        <input type="hidden" name="project_id" value=id.to_string()/>
                                        <label for="halt-reason">{locale.t(Msg::HaltReason)}</label>
                                        <input id="halt-reason" name="reason" type="text" maxlength="1000" aria-invalid=invalid(halt_error, "reason")/>
                                        <FieldError error=halt_error field="reason"/>
                                        <button type="submit" class="danger">{locale.t(Msg::HaltButton)}</button>
                                    </ActionForm>
                                </details>
                            })}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
