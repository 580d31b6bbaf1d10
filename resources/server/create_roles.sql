-- QMSR Ready on PostgreSQL: the database and its two roles (README, "Server workspaces").
-- Run once as a superuser (or a role with CREATEROLE and CREATEDB), for example:
--   psql -h HOST -U postgres -v owner_password="'...'" -v editor_password="'...'" \
--        -f create_roles.sql
-- then, as the owner:  qmsr-ready server init postgresql+psycopg://qmsr_owner@HOST/qmsr --editor qmsr_editor
-- Names may be changed; keep them plain (a-z, 0-9, _).

-- The owner: creates and migrates the tables (DDL). Used by the IT admin only.
CREATE ROLE qmsr_owner LOGIN PASSWORD :owner_password CONNECTION LIMIT 5;
-- The editor: what the app's users log in as. No DDL; audit trail SELECT/INSERT only.
CREATE ROLE qmsr_editor LOGIN PASSWORD :editor_password CONNECTION LIMIT 100;

CREATE DATABASE qmsr OWNER qmsr_owner ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE qmsr FROM PUBLIC;
GRANT CONNECT ON DATABASE qmsr TO qmsr_editor;

\connect qmsr
-- Nobody but the owner creates objects in the workspace schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO qmsr_editor;
