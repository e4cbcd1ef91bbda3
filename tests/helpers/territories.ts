/**
 * The territories of the demo accounts, written here from the definitions in DESIGN §2 (not
 * taken from the app), for the access matrices; `:u` is the account's username.
 */
export const TERRITORY_SQL: Record<string, string> = {
	department: `SELECT ST_Union(c.geom) FROM communities c JOIN community_liaisons l ON l.community_id = c.id JOIN users u ON u.department_id = l.department_id WHERE u.username = :u`,
	community_admin: `SELECT ST_Union(c.geom) FROM communities c JOIN assignments a ON a.community_id = c.id JOIN users u ON u.person_id = a.person_id WHERE u.username = :u AND a.valid_to IS NULL AND a.role IN ('community_secretary', 'first_secretary')`,
	grid_worker: `SELECT ST_Union(g.geom) FROM grids g JOIN assignments a ON a.grid_id = g.id JOIN users u ON u.person_id = a.person_id WHERE u.username = :u AND a.valid_to IS NULL AND a.role = 'grid_worker'`,
	building_head: `SELECT ST_Union(b.geom) FROM buildings b JOIN assignments a ON a.building_id = b.id JOIN users u ON u.person_id = a.person_id WHERE u.username = :u AND a.valid_to IS NULL AND a.role = 'building_head'`
};
