// Field definitions in the shape Directus's REST API takes them (POST /collections, POST /fields).
export const intKey = (field = 'id') => ({
  field, type: 'integer', meta: { hidden: true, interface: 'input', readonly: true },
  schema: { is_primary_key: true, has_auto_increment: true },
});
export const uuidKey = (field = 'id') => ({
  field, type: 'uuid', meta: { hidden: true, interface: 'input', readonly: true, special: ['uuid'] },
  schema: { is_primary_key: true, length: 36, has_auto_increment: false },
});
export const stringKey = (field) => ({
  field, type: 'string', meta: { interface: 'input' }, schema: { is_primary_key: true, length: 255, has_auto_increment: false },
});
// As the Data Studio makes them: a boolean casts (SQLite stores 0/1).
export const plain = (field, type, schema = {}, meta = {}) => ({
  field, type, meta: { interface: 'input', ...(type === 'boolean' ? { special: ['cast-boolean'] } : {}), ...meta }, schema: { is_nullable: true, ...schema },
});
export const alias = (field, special) => ({ field, type: 'alias', meta: { interface: 'list-o2m', special: [special] }, schema: null });

/** One user, role, policy and access row per role name; the public policy reads what `public` lists. */
export const system = (prefix, roles, publicAllow = {}) => {
  const id = (n, kind) => `${prefix}${String(n).padStart(4, '0')}-0000-4000-8000-${kind.padStart(12, '0')}`;
  const out = { directus_roles: [], directus_policies: [], directus_access: [], directus_users: [], directus_permissions: [] };
  out.directus_policies.push({ id: id(0, 'b'), name: '$t:public_label', icon: 'public', description: null, ip_access: null, enforce_tfa: false, admin_access: false, app_access: false });
  out.directus_access.push({ id: id(0, 'c'), role: null, user: null, policy: id(0, 'b'), sort: 1 });
  let perm = 0;
  roles.forEach((r, i) => {
    const n = i + 1;
    out.directus_roles.push({ id: id(n, 'a'), name: r.name, icon: 'badge', description: null, parent: null });
    r.policies.forEach((p, j) => {
      const pid = id(n * 10 + j, 'b');
      out.directus_policies.push({ id: pid, name: `${r.name} policy ${j + 1}`, icon: 'badge', description: null, ip_access: null, enforce_tfa: false, admin_access: !!p.admin, app_access: !!p.admin });
      out.directus_access.push({ id: id(n * 10 + j, 'c'), role: id(n, 'a'), user: null, policy: pid, sort: j + 1 });
      for (const [collection, actions] of Object.entries(p.allow ?? {})) {
        for (const action of actions) out.directus_permissions.push({ id: ++perm, policy: pid, collection, action, permissions: null, validation: null, presets: null, fields: ['*'] });
      }
    });
    out.directus_users.push({ id: id(n, 'd'), first_name: r.name, last_name: null, email: `${r.name.toLowerCase()}@example.com`, password: r.name.toLowerCase(), token: `${r.name.toLowerCase()}-token`, role: id(n, 'a'), status: 'active' });
  });
  for (const [collection, actions] of Object.entries(publicAllow)) {
    for (const action of actions) out.directus_permissions.push({ id: ++perm, policy: id(0, 'b'), collection, action, permissions: null, validation: null, presets: null, fields: ['*'] });
  }
  return out;
};
