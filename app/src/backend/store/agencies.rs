use serde::{Deserialize, Serialize};

use super::StoreResult;
use crate::backend::Db;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AgencyRow {
    pub id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
}

impl From<AgencyRow> for crate::model::Agency {
    fn from(a: AgencyRow) -> Self {
        crate::model::Agency { id: a.id, name_zh: a.name_zh, name_en: a.name_en }
    }
}

impl Db {
    /// Every agency, as pages show it.
    pub async fn agency_list(&self) -> StoreResult<Vec<crate::model::Agency>> {
        Ok(self.agencies().await?.into_iter().map(Into::into).collect())
    }

    pub async fn agencies(&self) -> StoreResult<Vec<AgencyRow>> {
        crate::on_db!(self, |pool| sqlx::query_as::<_, AgencyRow>("SELECT id, slug, name_zh, name_en FROM agencies ORDER BY id")
            .fetch_all(pool)
            .await)
    }

    pub async fn agency(&self, id: i64) -> StoreResult<Option<AgencyRow>> {
        crate::on_db!(self, |pool| sqlx::query_as::<_, AgencyRow>("SELECT id, slug, name_zh, name_en FROM agencies WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    /// Creates the agency or returns the existing one with that slug.
    pub async fn ensure_agency(&self, slug: &str, name_zh: &str, name_en: &str) -> StoreResult<i64> {
        crate::on_db!(self, |pool| {
            sqlx::query(
                "INSERT INTO agencies (slug, name_zh, name_en) VALUES ($1, $2, $3) \
                 ON CONFLICT (slug) DO NOTHING",
            )
            .bind(slug)
            .bind(name_zh)
            .bind(name_en)
            .execute(pool)
            .await?;
            sqlx::query_scalar::<_, i64>("SELECT id FROM agencies WHERE slug = $1").bind(slug).fetch_one(pool).await
        })
    }
}
