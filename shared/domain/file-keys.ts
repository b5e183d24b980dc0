// One key convention for every file a team writes (runbook front matter, catalog YAML and CSV,
// directory CSV): keys are written in snake_case (incident_types, review_by, owner_team, rto_min),
// and the spellings people also use are read as the same key: kebab-case (review-by), camelCase
// (reviewBy), words with spaces ("Review by") and any letter case. Exports write snake_case.

/** The snake_case key a spelling stands for: "reviewBy", "review-by" and "Review by" give "review_by". */
export function canonicalKey(spelling: string): string {
  return spelling
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}
