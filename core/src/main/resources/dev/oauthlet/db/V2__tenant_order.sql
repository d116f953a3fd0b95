-- A user's tenants keep the order they were declared in: a request that names only a tenant type
-- gets the first tenant of that type. Rows written before this version keep order 0 (unordered).
ALTER TABLE oauthlet_user_tenant ADD COLUMN tenant_order INTEGER DEFAULT 0 NOT NULL;
