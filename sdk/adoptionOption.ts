/** The `adoptExisting` option every assignment resource takes (not a Graph input). */
export interface AdoptionOption {
    /**
     * Whether creating this resource may take over an assignment that already holds its target and that this stack
     * did not create (a warning `adopted existing assignment <id> on policy <id>` reports each such takeover).
     * `false`: such a create fails naming the occupant, and nothing is written. Default: `msgraph:adoptExisting`,
     * else true. Not stored as an input: changing it never replaces the assignment. See docs/reliability.md on adoption.
     */
    readonly adoptExisting?: boolean;
}
