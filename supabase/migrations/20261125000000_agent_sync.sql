-- agent-sync remote, schema version 1. The contract is docs/remote-protocol.md; docs/openapi.yaml documents the RPC
-- surface below and a test keeps the two in step. Where this file is more precise than the protocol document:
--   * push: accepted rows (new or retried) return content = null; conflict rows return the head's content.
--   * push: the same change id twice in one batch is refused (PT400) instead of being applied once.
--   * audit_list also returns actor_pseudonym; e-mails inside audit details are stored as 'pseudonym:<uuid>'.
--
-- Layout: tables in agent_sync (not exposed by PostgREST), SECURITY DEFINER implementations in agent_sync_private
-- (search_path = '', every name qualified, membership checked in the function), and the RPC surface as SECURITY
-- INVOKER wrappers in public, which is what PostgREST exposes. Clients never write tables directly: RLS lets
-- members read their projects' rows, and no role but the functions' owner holds INSERT/UPDATE/DELETE.

create schema if not exists agent_sync;
create schema if not exists agent_sync_private;

-- ---------------------------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------------------------

create table agent_sync.schema_version (
  singleton boolean primary key default true check (singleton),
  version int not null,
  migration text not null,
  applied_at timestamptz not null default now()
);
insert into agent_sync.schema_version (version, migration)
values (1, 'supabase/migrations/20261125000000_agent_sync.sql');

create table agent_sync.projects (
  project_id bigint generated always as identity primary key,
  name text not null unique check (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
  -- The per-project sequence counter. Push updates it while holding the row lock until commit, so sequence
  -- numbers are handed out in commit order and a pull cursor never skips a change committed later.
  last_seq bigint not null default 0,
  created_by uuid,
  created_at timestamptz not null default now()
);

create table agent_sync.project_members (
  project_id bigint not null references agent_sync.projects on delete cascade,
  user_id uuid not null,
  email text,
  added_at timestamptz not null default now(),
  primary key (project_id, user_id)
);
create index project_members_user_idx on agent_sync.project_members (user_id);

-- artifacts and change_log hold no foreign key to projects: only push writes them, for a project it has just resolved
-- and whose row it holds locked, and a foreign key checks every row it writes (~3 ms a batch of 500). Deleting a
-- project cascades to them by a trigger instead (below the append-only triggers).
-- A head holds no text of its own: its content is the change_log row it names by seq (a join by primary key). Kept in
-- both tables, every text was written, logged to the WAL and stored twice: a push of 1,000 new artifacts 140.2 -> 129.9
-- ms and of 100 edits 69.9 -> 61.4 ms, the server's data on a shared disk (A/B, medians of 12 and 10 runs).
create table agent_sync.artifacts (
  project_id bigint not null,
  id text not null,
  kind text not null check (kind in ('story', 'plan', 'runbook', 'adr', 'journey')),
  version bigint not null check (version > 0),
  -- The change_log row (project_id, seq) holding this version: its content, description and time.
  seq bigint not null,
  content_hash text not null,
  -- Informational only (lists, dashboards); state is governed by Git on the clients. Found in the content by
  -- extract_state, or given by the pushing client (p_states), which finds it by the same rules (agent: RemoteState.cs)
  -- and spares the server three regexes per text. Given, it is the member's word, like the content it describes.
  state text,
  author text not null,
  deleted boolean not null default false,
  -- The file's path below its kind's folder as the last author had it, so every developer gets the same file name.
  path text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (project_id, id, kind)
);

create table agent_sync.change_log (
  project_id bigint not null,
  seq bigint not null,
  change_id uuid not null unique,
  id text not null,
  kind text not null,
  version bigint not null,
  content text not null,
  content_hash text not null,
  deleted boolean not null,
  author text not null,
  description text,
  path text,
  created_at timestamptz not null default now(),
  primary key (project_id, seq)
);
create index change_log_artifact_idx on agent_sync.change_log (project_id, id, kind, version);

-- Artifact text (a few KB a row) stays in the row as it is: neither compressed nor moved to the TOAST table below
-- ~8 KB a row (STORAGE MAIN, toast_tuple_target 8160). With the defaults, a row over ~2 KB was compressed and 6 of 10
-- corpus texts still went out of line, a TOAST insert (and its index) per chunk; a push's server share per 500 rows
-- went 36.5 -> 30.6 ms (best of 10), a whole push of 1,000 new artifacts 169.0 -> 148.1 ms (A/B, medians of 16, the
-- server's data on tmpfs, when heads still held a copy of the text; about even with it on a slow shared disk), for
-- ~1.5x the bytes on disk. Larger texts are still compressed, with LZ4 where the
-- server has it (~3x faster than the default pglz both ways); servers built without LZ4 keep pglz: same data, slower.
alter table agent_sync.change_log alter column content set storage main;
alter table agent_sync.change_log set (toast_tuple_target = 8160);
do $$
begin
  alter table agent_sync.change_log alter column content set compression lz4;
exception when feature_not_supported then
  raise notice 'this server has no LZ4 support; artifact content keeps the default compression (pglz)';
end
$$;

create table agent_sync.id_counters (
  project_id bigint not null references agent_sync.projects on delete cascade,
  scope text not null,
  last_value bigint not null default 0,
  primary key (project_id, scope)
);

-- E-mail -> pseudonym. Audit rows hash the pseudonym, never the e-mail, so erasing this mapping (GDPR) leaves the
-- hash chain intact while nothing links the rows to the person any more.
create table agent_sync.actor_pseudonyms (
  email text primary key,
  pseudonym uuid not null unique default gen_random_uuid(),
  created_at timestamptz not null default now()
);

create table agent_sync.audit_log (
  project_id bigint not null references agent_sync.projects on delete cascade,
  seq bigint not null,
  created_at timestamptz not null default now(),
  -- What people read: the e-mail (or erased-xxxxxxxx after forget). Not part of the hash.
  actor text not null,
  actor_pseudonym uuid not null,
  operation text not null,
  outcome text not null,
  -- E-mail addresses inside details are stored as 'pseudonym:<uuid>' tokens for the same reason.
  details jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  row_hash text not null,
  primary key (project_id, seq)
);
-- The record of a push or pull of 1,000 lists every artifact (~70 KB of JSON): LZ4 as for content, where the server
-- has it (an append's insert of such a record: ~1 ms less, cold).
do $$
begin
  alter table agent_sync.audit_log alter column details set compression lz4;
exception when feature_not_supported then
  null;
end
$$;
create index audit_log_created_idx on agent_sync.audit_log (project_id, created_at);

-- ---------------------------------------------------------------------------------------------------------------
-- Append-only logs: refused for everyone, table owner included, except inside agent_sync_private.forget, which
-- sets agent_sync.erasing for its own transaction only.
-- ---------------------------------------------------------------------------------------------------------------

create function agent_sync_private.refuse_log_rewrite()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if coalesce(current_setting('agent_sync.erasing', true), '') = 'on' and tg_op = 'UPDATE' then
    return new;
  end if;
  raise exception using
    errcode = '42501',
    message = format('%s.%s is append-only: %s is refused', tg_table_schema, tg_table_name, tg_op),
    hint = 'only agent_sync_forget (service role) may rewrite identities in the logs';
end
$$;

create trigger change_log_append_only before update or delete on agent_sync.change_log
  for each row execute function agent_sync_private.refuse_log_rewrite();
create trigger change_log_no_truncate before truncate on agent_sync.change_log
  for each statement execute function agent_sync_private.refuse_log_rewrite();
create trigger audit_log_append_only before update or delete on agent_sync.audit_log
  for each row execute function agent_sync_private.refuse_log_rewrite();
create trigger audit_log_no_truncate before truncate on agent_sync.audit_log
  for each statement execute function agent_sync_private.refuse_log_rewrite();

-- What "on delete cascade" would do for the two tables without a foreign key: a project's heads go with it, and its
-- log refuses, so a project with history cannot be deleted, as its other tables' cascades already behave.
create function agent_sync_private.delete_project_rows()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  delete from agent_sync.change_log c where c.project_id = old.project_id;
  delete from agent_sync.artifacts a where a.project_id = old.project_id;
  return old;
end
$$;

create trigger projects_delete_rows before delete on agent_sync.projects
  for each row execute function agent_sync_private.delete_project_rows();

-- ---------------------------------------------------------------------------------------------------------------
-- Caller identity
-- ---------------------------------------------------------------------------------------------------------------

-- The role the request runs as. Inside a SECURITY DEFINER function current_user is the owner, but the 'role'
-- setting still holds what PostgREST (or the session) switched to with SET ROLE.
create function agent_sync_private.caller_role()
returns text
language sql stable
set search_path = ''
as $$
  select case when current_setting('role') = 'none' then session_user::text else current_setting('role') end
$$;

-- Privileged: the service role, or a direct connection by the owner of these functions (or a superuser) without
-- JWT claims. The service role must both be the SQL role and, when claims exist, be named by them: claims alone
-- are only settings, which any session can write.
create function agent_sync_private.is_privileged()
returns boolean
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_role text := agent_sync_private.caller_role();
  v_claims text := nullif(current_setting('request.jwt.claims', true), '');
begin
  if v_role = 'service_role' then
    return v_claims is null or coalesce(auth.role(), 'service_role') = 'service_role';
  end if;
  if v_role in ('anon', 'authenticated', 'authenticator') then
    return false;
  end if;
  return v_claims is null and pg_catalog.pg_has_role(v_role, current_user, 'USAGE');
end
$$;

-- The signed-in user, only when the request runs as authenticated.
create function agent_sync_private.caller_uid()
returns uuid
language sql stable
set search_path = ''
as $$
  select case when agent_sync_private.caller_role() = 'authenticated' then auth.uid() end
$$;

create function agent_sync_private.is_member(p_project_id bigint)
returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from agent_sync.project_members m
    where m.project_id = p_project_id and m.user_id = agent_sync_private.caller_uid()
  )
$$;

create function agent_sync_private.check_schema(p_client_schema int)
returns void
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_version int;
  v_migration text;
begin
  select s.version, s.migration into v_version, v_migration from agent_sync.schema_version s;
  if p_client_schema is distinct from v_version then
    raise exception using
      errcode = 'PT426',
      message = case when p_client_schema > v_version
        then format('the client speaks schema %s but the remote speaks %s: apply %s or newer to the remote (supabase db push)',
                    p_client_schema, v_version, v_migration)
        else format('the client speaks schema %s but the remote speaks %s (%s): upgrade agent to a release that speaks schema %s',
                    coalesce(p_client_schema::text, 'none'), v_version, v_migration, v_version) end;
  end if;
end
$$;

-- The project the caller may act on, or PT404 with one message whether it is missing or not theirs: the answer must
-- not tell outsiders which projects exist. anon gets 42501: it must sign in first.
create function agent_sync_private.resolve_project(p_project text)
returns bigint
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_project_id bigint;
begin
  if not agent_sync_private.is_privileged() and agent_sync_private.caller_uid() is null then
    raise exception using errcode = '42501', message = 'sign in first: anonymous callers have no access to agent-sync projects';
  end if;
  select p.project_id into v_project_id from agent_sync.projects p where p.name = p_project;
  if v_project_id is null or not (agent_sync_private.is_privileged() or agent_sync_private.is_member(v_project_id)) then
    raise exception using errcode = 'PT404', message = format('project %L does not exist or you are not a member of it', p_project);
  end if;
  return v_project_id;
end
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- Small pure helpers
-- ---------------------------------------------------------------------------------------------------------------

-- The value of a '## State' / '## Status' section (next non-blank line) or a 'Status: X' line; null when absent.
create function agent_sync_private.extract_state(p_content text)
returns text
language sql immutable
-- A SQL-standard body (RETURN, not a quoted string): its names are bound when the function is created, so no
-- search_path can redirect them and none needs setting, and the planner inlines it into push's inserts. A SET clause
-- would forbid inlining and cost a function call per pushed artifact (~5 ms a batch of 500).
-- A regex call costs microseconds however short the text: none for a text without the words they look for.
return nullif(pg_catalog.btrim(coalesce(
  case when pg_catalog.strpos(p_content, 'Stat') > 0 then
    pg_catalog.substring(p_content, '(?:^|\n)##[ \t]*(?:State|Status)[ \t]*\r?\n(?:[ \t]*\r?\n)*[ \t]*([^\r\n]+)') end,
  case when pg_catalog.strpos(p_content, 'Stat') > 0 then
    pg_catalog.substring(p_content, '(?:^|\n)[ \t]*\**(?:State|Status)\**:[ \t]*\**([^\r\n*]+)') end,
  case when pg_catalog.strpos(p_content, 'state:') > 0 then
    pg_catalog.substring(p_content, '(?:^|\n)state:[ \t]*([^\r\n]+)') end)), '');

create function agent_sync_private.sha256_hex(p_text text)
returns text
language sql immutable
set search_path = ''
as $$
  select pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(p_text, 'UTF8')), 'hex')
$$;

create function agent_sync_private.pseudonym_for(p_email text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_pseudonym uuid;
begin
  insert into agent_sync.actor_pseudonyms (email) values (lower(p_email)) on conflict (email) do nothing;
  select a.pseudonym into v_pseudonym from agent_sync.actor_pseudonyms a where a.email = lower(p_email);
  return v_pseudonym;
end
$$;

create function agent_sync_private.erased_label(p_pseudonym uuid)
returns text
language sql immutable
set search_path = ''
as $$
  select 'erased-' || left(replace(p_pseudonym::text, '-', ''), 8)
$$;

-- The canonical text an audit row's hash covers. Tests recompute it; change it only with a new schema version.
create function agent_sync_private.audit_hash(
  p_prev_hash text, p_project text, p_seq bigint, p_created_at timestamptz, p_actor_pseudonym uuid,
  p_operation text, p_outcome text, p_details jsonb)
returns text
language sql immutable
set search_path = ''
as $$
  select agent_sync_private.sha256_hex(concat_ws('|',
    p_prev_hash, p_project, p_seq::text,
    to_char(p_created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    p_actor_pseudonym::text, p_operation, p_outcome, p_details::text))
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- Implementations (SECURITY DEFINER)
-- ---------------------------------------------------------------------------------------------------------------

create function agent_sync_private.schema_version()
returns int
language sql stable
security definer
set search_path = ''
as $$
  select s.version from agent_sync.schema_version s
$$;

create function agent_sync_private.create_project(p_project text, p_client_schema int)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := agent_sync_private.caller_uid();
  v_project_id bigint;
begin
  perform agent_sync_private.check_schema(p_client_schema);
  if p_project is null or p_project !~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$' then
    raise exception using errcode = 'PT400', message = format('project %L is not a valid project name', p_project);
  end if;
  if not agent_sync_private.is_privileged() and v_uid is null then
    raise exception using errcode = '42501', message = 'sign in first: anonymous callers cannot create projects';
  end if;

  insert into agent_sync.projects (name, created_by) values (p_project, v_uid)
  on conflict (name) do nothing
  returning project_id into v_project_id;

  if v_project_id is null then
    -- Exists already: fine for members and privileged callers, indistinguishable from "not found" for others.
    perform agent_sync_private.resolve_project(p_project);
    return false;
  end if;
  if v_uid is not null then
    insert into agent_sync.project_members (project_id, user_id, email)
    values (v_project_id, v_uid, nullif(auth.jwt() ->> 'email', ''));
  end if;
  return true;
end
$$;

create function agent_sync_private.add_member(p_project text, p_client_schema int, p_user uuid, p_email text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_project_id bigint;
begin
  perform agent_sync_private.check_schema(p_client_schema);
  v_project_id := agent_sync_private.resolve_project(p_project);
  if p_user is null then
    raise exception using errcode = 'PT400', message = 'p_user: a user id is required';
  end if;
  insert into agent_sync.project_members (project_id, user_id, email)
  values (v_project_id, p_user, nullif(p_email, ''))
  on conflict (project_id, user_id) do update set email = coalesce(excluded.email, agent_sync.project_members.email);
end
$$;

create function agent_sync_private.push(
  p_project text, p_client_schema int,
  p_change_ids uuid[], p_ids text[], p_kinds text[], p_base_versions bigint[], p_contents text[],
  p_content_hashes text[], p_deleted boolean[], p_authors text[], p_descriptions text[], p_paths text[] default null,
  p_states text[] default null)
returns table(change_id uuid, id text, kind text, status text, version bigint, seq bigint,
              content text, content_hash text, deleted boolean, author text)
language plpgsql
security definer
set search_path = ''
-- A full batch is ~6 MB of content; keep its intermediate results in memory.
set work_mem = '64MB'
-- Plan once per session with the arrays as parameters. A custom plan (PL/pgSQL's first five calls) folds the arrays'
-- values into the plan as constants and copies megabytes of content with every plan copy (~5 ms a batch of 500).
set plan_cache_mode = 'force_generic_plan'
as $$
#variable_conflict use_column
declare
  v_project_id bigint;
  v_count int := coalesce(array_length(p_change_ids, 1), 0);
  v_jwt_email text := nullif(auth.jwt() ->> 'email', '');
  v_problem record;
  v_seq bigint;
  v_item record;
  v_done record;
  v_logged bigint;
  v_head record;
  v_current bigint;
  v_author text;
begin
  perform agent_sync_private.check_schema(p_client_schema);
  v_project_id := agent_sync_private.resolve_project(p_project);

  -- Validate the whole batch before touching anything: one bad item refuses the batch.
  if v_count < 1 or v_count > 1000 then
    raise exception using errcode = 'PT400', message = format('a batch holds 1..1000 items, this one has %s', v_count);
  end if;
  if coalesce(array_length(p_ids, 1), 0) <> v_count or coalesce(array_length(p_kinds, 1), 0) <> v_count
     or coalesce(array_length(p_base_versions, 1), 0) <> v_count or coalesce(array_length(p_contents, 1), 0) <> v_count
     or coalesce(array_length(p_content_hashes, 1), 0) <> v_count or coalesce(array_length(p_deleted, 1), 0) <> v_count
     or coalesce(array_length(p_authors, 1), 0) <> v_count
     or (p_descriptions is not null and coalesce(array_length(p_descriptions, 1), 0) <> v_count)
     or (p_paths is not null and coalesce(array_length(p_paths, 1), 0) <> v_count)
     or (p_states is not null and coalesce(array_length(p_states, 1), 0) <> v_count) then
    raise exception using errcode = 'PT400', message = format('every p_* array must hold the same number of items (%s change ids)', v_count);
  end if;

  select t.i, t.problem into v_problem
  from (
    select u.i, case
      when u.change_id is null then 'change id is missing'
      -- The length apart: a counted repetition ({0,99}) makes the regex ~10x slower to run.
      when u.id is null or length(u.id) > 100 or u.id !~ '^[A-Za-z0-9][A-Za-z0-9._-]*$' or strpos(u.id, '..') > 0
        then format('id %L is not a valid artifact id', u.id)
      when u.kind is null or u.kind not in ('story', 'plan', 'runbook', 'adr', 'journey') then format('kind %L is not one of story, plan, runbook, adr, journey', u.kind)
      when u.base_version is null or u.base_version < 0 then format('base version %s must be 0 or more', coalesce(u.base_version::text, 'null'))
      when u.content is null then 'content is missing'
      when u.deleted is null then 'deleted flag is missing'
      when u.deleted and u.content <> '' then 'a deletion must have empty content'
      when octet_length(u.content) > 1048576 then format('content is %s bytes of UTF-8, the limit is 1048576', octet_length(u.content))
      -- Inline rather than sha256_hex(): a function with its own search_path is never inlined, and 1,000 calls show.
      when u.content_hash is null
        or u.content_hash <> pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(u.content, 'UTF8')), 'hex') then 'content hash is not the lower-case hex SHA-256 of the content'
      when v_jwt_email is null and (u.author is null or btrim(u.author) = '') then 'author is missing'
      -- A scalar subquery with LIMIT is probed by key per item; EXISTS let the planner hash every other project's log.
      when (select c.project_id from agent_sync.change_log c where c.change_id = u.change_id limit 1) <> v_project_id
        then format('change id %s belongs to another project', u.change_id)
      when u.path is not null and (u.path = '' or length(u.path) > 300 or u.path ~ '(^/|\\|[[:cntrl:]]|(^|/)\.{1,2}(/|$)|//)')
        then format('path %L must be relative, without ''..'', ''\\'' or control characters, at most 300 characters', u.path)
    end as problem
    from unnest(p_change_ids, p_ids, p_kinds, p_base_versions, p_contents, p_content_hashes, p_deleted, p_authors,
                coalesce(p_paths, array_fill(null::text, array[v_count])))
      with ordinality as u(change_id, id, kind, base_version, content, content_hash, deleted, author, path, i)
  ) t
  where t.problem is not null
  order by t.i
  limit 1;
  if found then
    raise exception using errcode = 'PT400', message = format('item %s: %s', v_problem.i - 1, v_problem.problem);
  end if;
  -- Apart from the query above: a window over rows carrying the contents would sort megabytes.
  select min(u.i) - 1 as i, u.change_id into v_problem
  from unnest(p_change_ids) with ordinality as u(change_id, i)
  group by u.change_id
  having count(*) > 1
  order by 1
  limit 1;
  if found then
    raise exception using errcode = 'PT400', message = format('item %s: change id %s appears more than once in the batch', v_problem.i, v_problem.change_id);
  end if;

  -- Take the counter row lock now and keep it until commit: pushes to one project commit one after the other,
  -- so sequence numbers follow commit order and the artifacts' heads cannot move under us.
  update agent_sync.projects p set last_seq = p.last_seq where p.project_id = v_project_id returning p.last_seq into v_seq;

  -- Fast path, the usual batch: no artifact twice among the new changes, so every item is decided against the head
  -- as it was before the batch, in three set-based statements (a row-by-row loop is ~10x slower).
  if not exists (
    select 1
    from unnest(p_change_ids, p_ids, p_kinds) as u(change_id, id, kind)
    where (select 1 from agent_sync.change_log c where c.change_id = u.change_id limit 1) is null
    group by u.id, u.kind
    having count(*) > 1
  ) then
    -- 1. Log every change that applies: not a retry of an applied one, and based on the head. What is decided and
    -- numbered carries no content; the insert takes it straight from the arrays by position, so the batch's ~1.5 MB
    -- is neither sorted by the numbering nor materialized for several readers.
    -- Heads and earlier results are looked up one by one by key (LATERAL ... LIMIT 1 keeps the planner from hashing
    -- a whole table instead): the plan is made once per session, often while the tables are still empty, and must not
    -- turn into a scan of every row once they are not. Statements 2 and 3 do the same.
    with numbered as (
      select u.i, coalesce(a.version, 0) + 1 as version, v_seq + row_number() over (order by u.i) as seq
      from unnest(p_change_ids, p_ids, p_kinds, p_base_versions) with ordinality as u(change_id, id, kind, base_version, i)
      left join lateral (
        select h.version from agent_sync.artifacts h
        where h.project_id = v_project_id and h.id = u.id and h.kind = u.kind
        limit 1
      ) a on true
      left join lateral (select 1 as applied from agent_sync.change_log c where c.change_id = u.change_id limit 1) d on true
      where coalesce(a.version, 0) = u.base_version and d.applied is null
    )
    insert into agent_sync.change_log (project_id, seq, change_id, id, kind, version, content, content_hash, deleted, author, description, path)
    select v_project_id, n.seq, u.change_id, u.id, u.kind, n.version, u.content, u.content_hash, u.deleted,
           coalesce(v_jwt_email, u.author), u.description, u.path
    from numbered n
    join unnest(p_change_ids, p_ids, p_kinds, p_contents, p_content_hashes, p_deleted, p_authors,
                coalesce(p_descriptions, array_fill(null::text, array[v_count])),
                coalesce(p_paths, array_fill(null::text, array[v_count])))
      with ordinality as u(change_id, id, kind, content, content_hash, deleted, author, description, path, i)
      on u.i = n.i;
    get diagnostics v_logged = row_count;

    -- 2. Move the heads to what was just logged (a head names its log row; the text stays there). Edits (existing
    -- heads) one by one by key: a set-based UPDATE let the planner pick a scan of every head of the project.
    insert into agent_sync.artifacts (project_id, id, kind, version, seq, content_hash, state, author, deleted, path)
    select c.project_id, c.id, c.kind, c.version, c.seq, c.content_hash,
           case when p_states is null then agent_sync_private.extract_state(c.content) else u.state end,
           c.author, c.deleted, c.path
    from unnest(p_change_ids, coalesce(p_states, array_fill(null::text, array[v_count]))) as u(change_id, state)
    cross join lateral (
      select l.* from agent_sync.change_log l where l.change_id = u.change_id limit 1
    ) c
    where c.project_id = v_project_id and c.seq > v_seq and c.version = 1;
    for v_head in
      select c.id, c.kind, c.version, c.seq, c.content_hash, c.author, c.deleted, c.path,
             case when p_states is null then agent_sync_private.extract_state(c.content) else u.state end as state
      from unnest(p_change_ids, coalesce(p_states, array_fill(null::text, array[v_count]))) as u(change_id, state)
      cross join lateral (
        select l.* from agent_sync.change_log l where l.change_id = u.change_id limit 1
      ) c
      where c.project_id = v_project_id and c.seq > v_seq and c.version > 1
    loop
      update agent_sync.artifacts a
      set version = v_head.version, seq = v_head.seq, content_hash = v_head.content_hash,
          state = v_head.state, author = v_head.author, deleted = v_head.deleted,
          path = coalesce(v_head.path, a.path), updated_at = now()
      where a.project_id = v_project_id and a.id = v_head.id and a.kind = v_head.kind;
    end loop;

    -- 3. Every item's answer, in the batch's order: a change in the log (applied now or by an earlier attempt) is
    -- accepted with its recorded result and without its content (the client sent it); any other is a conflict and
    -- carries the head as it is, content included, for the client to merge.
    return query
    select u.change_id, u.id, u.kind, case when c.change_id is null then 'conflict' else 'accepted' end,
           coalesce(c.version, a.version, 0), c.seq, a.content, coalesce(c.content_hash, a.content_hash),
           coalesce(c.deleted, a.deleted, false), coalesce(c.author, a.author)
    from unnest(p_change_ids, p_ids, p_kinds) with ordinality as u(change_id, id, kind, i)
    left join lateral (
      select l.change_id, l.version, l.seq, l.content_hash, l.deleted, l.author from agent_sync.change_log l
      where l.change_id = u.change_id
      limit 1
    ) c on true
    left join lateral (
      select h.version, t.content, h.content_hash, h.deleted, h.author from agent_sync.artifacts h
      join agent_sync.change_log t on t.project_id = h.project_id and t.seq = h.seq
      where c.change_id is null and h.project_id = v_project_id and h.id = u.id and h.kind = u.kind
      limit 1
    ) a on true
    order by u.i;

    update agent_sync.projects p set last_seq = v_seq + v_logged where p.project_id = v_project_id;
    return;
  end if;

  -- Slow path: an artifact changed twice in one batch; the second change must see the first one's result.
  -- Iterate over unnest, not subscripts: p_contents[i] walks the variable-length array from its start every time.
  for v_item in
    select u.* from unnest(p_change_ids, p_ids, p_kinds, p_base_versions, p_contents, p_content_hashes, p_deleted, p_authors,
                           coalesce(p_descriptions, array_fill(null::text, array[v_count])),
                           coalesce(p_paths, array_fill(null::text, array[v_count])),
                           coalesce(p_states, array_fill(null::text, array[v_count])))
      with ordinality as u(change_id, id, kind, base_version, content, content_hash, deleted, author, description, path, state, i)
    order by u.i
  loop
    select c.version, c.seq, c.content_hash, c.deleted, c.author into v_done
    from agent_sync.change_log c where c.change_id = v_item.change_id;
    if found then
      -- A retry of an applied change: its recorded result, nothing applied twice.
      change_id := v_item.change_id; id := v_item.id; kind := v_item.kind; status := 'accepted';
      version := v_done.version; seq := v_done.seq; content := null; content_hash := v_done.content_hash;
      deleted := v_done.deleted; author := v_done.author;
      return next;
      continue;
    end if;

    select a.version, t.content, a.content_hash, a.deleted, a.author into v_head
    from agent_sync.artifacts a
    join agent_sync.change_log t on t.project_id = a.project_id and t.seq = a.seq
    where a.project_id = v_project_id and a.id = v_item.id and a.kind = v_item.kind;
    v_current := case when found then v_head.version else 0 end;

    if v_current <> v_item.base_version then
      change_id := v_item.change_id; id := v_item.id; kind := v_item.kind; status := 'conflict';
      version := v_current; seq := null;
      if v_current = 0 then
        content := null; content_hash := null; deleted := false; author := null;
      else
        content := v_head.content; content_hash := v_head.content_hash; deleted := v_head.deleted; author := v_head.author;
      end if;
      return next;
      continue;
    end if;

    v_author := coalesce(v_jwt_email, v_item.author);
    v_seq := v_seq + 1;
    if v_current = 0 then
      insert into agent_sync.artifacts (project_id, id, kind, version, seq, content_hash, state, author, deleted, path)
      values (v_project_id, v_item.id, v_item.kind, 1, v_seq, v_item.content_hash,
              case when p_states is null then agent_sync_private.extract_state(v_item.content) else v_item.state end, v_author, v_item.deleted, v_item.path);
    else
      update agent_sync.artifacts a
      set version = a.version + 1, seq = v_seq, content_hash = v_item.content_hash,
          state = case when p_states is null then agent_sync_private.extract_state(v_item.content) else v_item.state end, author = v_author, deleted = v_item.deleted,
          path = coalesce(v_item.path, a.path), updated_at = now()
      where a.project_id = v_project_id and a.id = v_item.id and a.kind = v_item.kind;
    end if;
    insert into agent_sync.change_log (project_id, seq, change_id, id, kind, version, content, content_hash, deleted, author, description, path)
    values (v_project_id, v_seq, v_item.change_id, v_item.id, v_item.kind, v_current + 1, v_item.content,
            v_item.content_hash, v_item.deleted, v_author, v_item.description, v_item.path);

    change_id := v_item.change_id; id := v_item.id; kind := v_item.kind; status := 'accepted';
    version := v_current + 1; seq := v_seq; content := null; content_hash := v_item.content_hash;
    deleted := v_item.deleted; author := v_author;
    return next;
  end loop;

  update agent_sync.projects p set last_seq = v_seq where p.project_id = v_project_id;
end
$$;

-- SQL, not PL/pgSQL, so that the page streams: called row by row (from the select list, as the public wrapper does), a
-- SQL function runs its last query lazily and each row leaves as soon as it is read, where PL/pgSQL's RETURN QUERY
-- (like any call in FROM) first builds the whole page in a tuplestore: a client applies the first changes of a page of
-- 1,000 while the rest is still being read instead of waiting ~15 ms for all of it. "more" is one look past the page's
-- last row, taken once before the first row (an InitPlan), not a count of a materialized page.
create function agent_sync_private.pull(p_project text, p_client_schema int, p_after bigint, p_limit int)
returns table(seq bigint, change_id uuid, id text, kind text, version bigint, content text, content_hash text,
              deleted boolean, author text, description text, created_at timestamptz, more boolean, path text)
language sql stable
security definer
set search_path = ''
as $$
  select agent_sync_private.check_schema(p_client_schema);
  with page as materialized (
    select agent_sync_private.resolve_project(p_project) as project_id, least(greatest(coalesce(p_limit, 1000), 1), 1000) as size
  )
  select c.seq, c.change_id, c.id, c.kind, c.version, c.content, c.content_hash, c.deleted, c.author, c.description, c.created_at,
         exists (
           select 1 from agent_sync.change_log n
           where n.project_id = (select g.project_id from page g)
             and n.seq > (select l.seq from agent_sync.change_log l
                          where l.project_id = (select g.project_id from page g) and l.seq > coalesce(p_after, 0)
                          order by l.seq
                          offset (select g.size from page g) - 1
                          limit 1)),
         c.path
  from agent_sync.change_log c
  where c.project_id = (select g.project_id from page g) and c.seq > coalesce(p_after, 0)
  order by c.seq
  limit (select g.size from page g)
$$;

create function agent_sync_private.next_id(p_project text, p_client_schema int, p_scope text)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_project_id bigint;
  v_counter bigint;
  v_highest bigint;
  v_next bigint;
begin
  perform agent_sync_private.check_schema(p_client_schema);
  v_project_id := agent_sync_private.resolve_project(p_project);
  if p_scope is null or p_scope !~ '^[A-Z][A-Z0-9]{0,19}$' then
    raise exception using errcode = 'PT400', message = format('scope %L is not a valid scope (A-Z then A-Z0-9, at most 20)', p_scope);
  end if;

  insert into agent_sync.id_counters (project_id, scope) values (v_project_id, p_scope) on conflict do nothing;
  select c.last_value into v_counter from agent_sync.id_counters c
  where c.project_id = v_project_id and c.scope = p_scope
  for update;

  -- Ids are global per scope across kinds; tombstones count too, their number was used.
  select max((substring(a.id from '^' || p_scope || '-([0-9]{1,18})$'))::bigint) into v_highest
  from agent_sync.artifacts a
  where a.project_id = v_project_id and a.id like p_scope || '-%';

  v_next := greatest(v_counter, coalesce(v_highest, 0)) + 1;
  update agent_sync.id_counters c set last_value = v_next where c.project_id = v_project_id and c.scope = p_scope;
  return v_next;
end
$$;

create function agent_sync_private.log(p_project text, p_client_schema int, p_id text, p_kind text)
returns table(seq bigint, change_id uuid, id text, kind text, version bigint, content text, content_hash text,
              deleted boolean, author text, description text, created_at timestamptz, path text)
language plpgsql stable
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_project_id bigint;
begin
  perform agent_sync_private.check_schema(p_client_schema);
  v_project_id := agent_sync_private.resolve_project(p_project);
  return query
  select c.seq, c.change_id, c.id, c.kind, c.version, c.content, c.content_hash, c.deleted, c.author, c.description, c.created_at, c.path
  from agent_sync.change_log c
  where c.project_id = v_project_id and c.id = p_id and c.kind = p_kind
  order by c.seq;
end
$$;

create function agent_sync_private.audit_append(p_project text, p_client_schema int, p_operation text, p_outcome text, p_details jsonb)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_project_id bigint;
  v_actor text;
  v_pseudonym uuid;
  v_details text := coalesce(p_details, '{}'::jsonb)::text;
  v_json jsonb;
  v_email text;
  v_prev text;
  v_seq bigint;
  v_created timestamptz := now();
begin
  perform agent_sync_private.check_schema(p_client_schema);
  v_project_id := agent_sync_private.resolve_project(p_project);
  if p_operation is null or p_operation !~ '^[a-z][a-z0-9_.-]{0,63}$' then
    raise exception using errcode = 'PT400', message = format('operation %L is not a valid operation name', p_operation);
  end if;
  if p_outcome is null or length(p_outcome) > 200 then
    raise exception using errcode = 'PT400', message = 'outcome is required (at most 200 characters)';
  end if;
  if octet_length(v_details) > 1048576 then
    raise exception using errcode = 'PT400', message = 'details exceed 1048576 bytes';
  end if;

  -- Like push's author: the JWT's e-mail when there is one, else what the client says, else the database role.
  v_actor := coalesce(nullif(auth.jwt() ->> 'email', ''), nullif(p_details ->> 'actor', ''), agent_sync_private.caller_role());
  v_pseudonym := agent_sync_private.pseudonym_for(v_actor);

  -- Store every e-mail address in details as its pseudonym, so the hashed text never holds one.
  for v_email in
    select distinct m[1] from regexp_matches(v_details, '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+', 'g') as m
  loop
    v_details := replace(v_details, v_email, 'pseudonym:' || agent_sync_private.pseudonym_for(v_email)::text);
  end loop;

  -- One chain per project: appends to it are serialised so every row links to its true predecessor.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('agent_sync.audit_log', v_project_id));
  select l.seq, l.row_hash into v_seq, v_prev
  from agent_sync.audit_log l where l.project_id = v_project_id
  order by l.seq desc limit 1;
  v_seq := coalesce(v_seq, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));

  -- Parsed once for the row and its hash: a pull of 1,000 artifacts lists them all, ~70 KB parsed twice took 1.5 ms more.
  v_json := v_details::jsonb;
  insert into agent_sync.audit_log (project_id, seq, created_at, actor, actor_pseudonym, operation, outcome, details, prev_hash, row_hash)
  values (v_project_id, v_seq, v_created, v_actor, v_pseudonym, p_operation, p_outcome, v_json, v_prev,
          agent_sync_private.audit_hash(v_prev, p_project, v_seq, v_created, v_pseudonym, p_operation, p_outcome, v_json));
  return v_seq;
end
$$;

create function agent_sync_private.audit_list(p_project text, p_client_schema int, p_since timestamptz)
returns table(seq bigint, created_at timestamptz, actor text, actor_pseudonym uuid, operation text, outcome text,
              details jsonb, prev_hash text, row_hash text)
language plpgsql stable
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_project_id bigint;
begin
  perform agent_sync_private.check_schema(p_client_schema);
  v_project_id := agent_sync_private.resolve_project(p_project);
  return query
  select l.seq, l.created_at, l.actor, l.actor_pseudonym, l.operation, l.outcome, l.details, l.prev_hash, l.row_hash
  from agent_sync.audit_log l
  where l.project_id = v_project_id and (p_since is null or l.created_at >= p_since)
  order by l.seq;
end
$$;

create function agent_sync_private.forget(p_email text, p_client_schema int)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_email text := lower(btrim(p_email));
  v_pseudonym uuid;
  v_label text;
  v_artifacts bigint;
  v_changes bigint;
  v_audit bigint;
  v_members bigint;
  v_descriptions bigint;
begin
  perform agent_sync_private.check_schema(p_client_schema);
  if not agent_sync_private.is_privileged() then
    raise exception using errcode = '42501', message = 'forget needs the service role (SUPABASE_SERVICE_ROLE_KEY) or the database owner';
  end if;
  if v_email is null or v_email !~ '^[^@\s]+@[^@\s]+$' then
    raise exception using errcode = 'PT400', message = 'p_email: an e-mail address is required';
  end if;

  v_pseudonym := agent_sync_private.pseudonym_for(v_email);
  v_label := agent_sync_private.erased_label(v_pseudonym);

  -- The only writer allowed past the append-only triggers, for this transaction only.
  perform pg_catalog.set_config('agent_sync.erasing', 'on', true);

  update agent_sync.artifacts a set author = v_label where lower(a.author) = v_email;
  get diagnostics v_artifacts = row_count;
  update agent_sync.change_log c set author = v_label where lower(c.author) = v_email;
  get diagnostics v_changes = row_count;
  update agent_sync.change_log c
  set description = pg_catalog.regexp_replace(c.description, pg_catalog.regexp_replace(v_email, '([.+*?^$()\[\]{}|\\-])', '\\\1', 'g'), v_label, 'gi')
  where strpos(lower(c.description), v_email) > 0;
  get diagnostics v_descriptions = row_count;
  update agent_sync.audit_log l set actor = v_label where l.actor_pseudonym = v_pseudonym or lower(l.actor) = v_email;
  get diagnostics v_audit = row_count;
  update agent_sync.project_members m set email = v_label where lower(m.email) = v_email;
  get diagnostics v_members = row_count;
  delete from agent_sync.actor_pseudonyms a where a.email = v_email;

  perform pg_catalog.set_config('agent_sync.erasing', 'off', true);

  return jsonb_build_object(
    'erased_as', v_label,
    'artifacts', v_artifacts,
    'change_log', v_changes,
    'change_descriptions', v_descriptions,
    'audit_log', v_audit,
    'members', v_members);
end
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- RPC surface (SECURITY INVOKER): the names and parameters PostgREST exposes and docs/openapi.yaml documents
-- ---------------------------------------------------------------------------------------------------------------

create function public.agent_sync_schema_version()
returns int
language sql stable security invoker
set search_path = ''
as $$ select agent_sync_private.schema_version() $$;

create function public.agent_sync_create_project(p_project text, p_client_schema int)
returns boolean
language sql security invoker
set search_path = ''
as $$ select agent_sync_private.create_project(p_project, p_client_schema) $$;

create function public.agent_sync_push(
  p_project text, p_client_schema int,
  p_change_ids uuid[], p_ids text[], p_kinds text[], p_base_versions bigint[], p_contents text[],
  p_content_hashes text[], p_deleted boolean[], p_authors text[], p_descriptions text[], p_paths text[] default null,
  p_states text[] default null)
returns table(change_id uuid, id text, kind text, status text, version bigint, seq bigint,
              content text, content_hash text, deleted boolean, author text)
language sql security invoker
set search_path = ''
as $$
  select * from agent_sync_private.push(p_project, p_client_schema, p_change_ids, p_ids, p_kinds, p_base_versions,
                                        p_contents, p_content_hashes, p_deleted, p_authors, p_descriptions, p_paths, p_states)
$$;

-- No SET clause (every name in it is qualified): a SQL function without one is inlined into the caller's query, which
-- then calls agent_sync_private.pull from a select list, row by row, so the page streams (see there). OFFSET 0 keeps
-- the call in its subquery: once per row, not once per column of (r).*.
create function public.agent_sync_pull(p_project text, p_client_schema int, p_after bigint, p_limit int)
returns table(seq bigint, change_id uuid, id text, kind text, version bigint, content text, content_hash text,
              deleted boolean, author text, description text, created_at timestamptz, more boolean, path text)
language sql stable security invoker
as $$ select (r).* from (select agent_sync_private.pull(p_project, p_client_schema, p_after, p_limit) as r offset 0) s $$;

create function public.agent_sync_next_id(p_project text, p_client_schema int, p_scope text)
returns bigint
language sql security invoker
set search_path = ''
as $$ select agent_sync_private.next_id(p_project, p_client_schema, p_scope) $$;

create function public.agent_sync_log(p_project text, p_client_schema int, p_id text, p_kind text)
returns table(seq bigint, change_id uuid, id text, kind text, version bigint, content text, content_hash text,
              deleted boolean, author text, description text, created_at timestamptz, path text)
language sql stable security invoker
set search_path = ''
as $$ select * from agent_sync_private.log(p_project, p_client_schema, p_id, p_kind) $$;

create function public.agent_sync_add_member(p_project text, p_client_schema int, p_user uuid, p_email text)
returns void
language sql security invoker
set search_path = ''
as $$ select agent_sync_private.add_member(p_project, p_client_schema, p_user, p_email) $$;

create function public.agent_sync_audit_append(p_project text, p_client_schema int, p_operation text, p_outcome text, p_details jsonb)
returns bigint
language sql security invoker
set search_path = ''
as $$ select agent_sync_private.audit_append(p_project, p_client_schema, p_operation, p_outcome, p_details) $$;

create function public.agent_sync_audit_list(p_project text, p_client_schema int, p_since timestamptz)
returns table(seq bigint, created_at timestamptz, actor text, actor_pseudonym uuid, operation text, outcome text,
              details jsonb, prev_hash text, row_hash text)
language sql stable security invoker
set search_path = ''
as $$ select * from agent_sync_private.audit_list(p_project, p_client_schema, p_since) $$;

create function public.agent_sync_forget(p_email text, p_client_schema int)
returns jsonb
language sql security invoker
set search_path = ''
as $$ select agent_sync_private.forget(p_email, p_client_schema) $$;

-- ---------------------------------------------------------------------------------------------------------------
-- Privileges and row-level security
-- ---------------------------------------------------------------------------------------------------------------

revoke all on all tables in schema agent_sync from public, anon, authenticated, service_role;
-- Supabase's default privileges may grant new functions to the API roles; nothing here is callable unless granted below.
revoke all on all functions in schema agent_sync_private from public, anon, authenticated, service_role;
revoke all on schema agent_sync from public;
revoke all on schema agent_sync_private from public;

-- The wrappers run as the caller, so the caller needs to reach the implementations; these check the caller.
-- Helpers are only called from inside the SECURITY DEFINER functions (as the owner) and stay ungranted.
grant usage on schema agent_sync_private to anon, authenticated, service_role;
grant execute on function agent_sync_private.schema_version(), agent_sync_private.create_project(text, int),
  agent_sync_private.push(text, int, uuid[], text[], text[], bigint[], text[], text[], boolean[], text[], text[], text[], text[]),
  agent_sync_private.pull(text, int, bigint, int), agent_sync_private.next_id(text, int, text),
  agent_sync_private.log(text, int, text, text), agent_sync_private.add_member(text, int, uuid, text),
  agent_sync_private.audit_append(text, int, text, text, jsonb), agent_sync_private.audit_list(text, int, timestamptz),
  agent_sync_private.forget(text, int),
  -- The RLS policies call this one as the querying role.
  agent_sync_private.is_member(bigint)
  to anon, authenticated, service_role;

revoke all on function public.agent_sync_schema_version(), public.agent_sync_create_project(text, int),
  public.agent_sync_push(text, int, uuid[], text[], text[], bigint[], text[], text[], boolean[], text[], text[], text[], text[]),
  public.agent_sync_pull(text, int, bigint, int), public.agent_sync_next_id(text, int, text),
  public.agent_sync_log(text, int, text, text), public.agent_sync_add_member(text, int, uuid, text),
  public.agent_sync_audit_append(text, int, text, text, jsonb), public.agent_sync_audit_list(text, int, timestamptz),
  public.agent_sync_forget(text, int) from public;
grant execute on function public.agent_sync_schema_version(), public.agent_sync_create_project(text, int),
  public.agent_sync_push(text, int, uuid[], text[], text[], bigint[], text[], text[], boolean[], text[], text[], text[], text[]),
  public.agent_sync_pull(text, int, bigint, int), public.agent_sync_next_id(text, int, text),
  public.agent_sync_log(text, int, text, text), public.agent_sync_add_member(text, int, uuid, text),
  public.agent_sync_audit_append(text, int, text, text, jsonb), public.agent_sync_audit_list(text, int, timestamptz),
  public.agent_sync_forget(text, int) to anon, authenticated, service_role;

-- Members may read their projects' rows directly (dashboards, SQL); anon reads nothing; nobody but the owner writes.
grant usage on schema agent_sync to authenticated, service_role;
grant select on agent_sync.projects, agent_sync.project_members, agent_sync.artifacts, agent_sync.change_log,
  agent_sync.id_counters, agent_sync.audit_log, agent_sync.schema_version to authenticated, service_role;

do $$
declare
  v_table text;
begin
  foreach v_table in array array['schema_version', 'projects', 'project_members', 'artifacts', 'change_log',
                                 'id_counters', 'actor_pseudonyms', 'audit_log']
  loop
    execute format('alter table agent_sync.%I enable row level security', v_table);
    execute format('alter table agent_sync.%I force row level security', v_table);
    -- FORCE applies RLS to the owner too; the SECURITY DEFINER functions run as the owner and check access
    -- themselves, so the owner (whoever ran this migration) gets a policy that lets it through.
    execute format('create policy owner_all on agent_sync.%I for all to %I using (true) with check (true)', v_table, current_user);
  end loop;
end
$$;

create policy members_read on agent_sync.projects for select to authenticated
  using (agent_sync_private.is_member(project_id));
create policy members_read on agent_sync.project_members for select to authenticated
  using (agent_sync_private.is_member(project_id));
create policy members_read on agent_sync.artifacts for select to authenticated
  using (agent_sync_private.is_member(project_id));
create policy members_read on agent_sync.change_log for select to authenticated
  using (agent_sync_private.is_member(project_id));
create policy members_read on agent_sync.id_counters for select to authenticated
  using (agent_sync_private.is_member(project_id));
create policy members_read on agent_sync.audit_log for select to authenticated
  using (agent_sync_private.is_member(project_id));
create policy everyone_reads on agent_sync.schema_version for select to authenticated, service_role
  using (true);
