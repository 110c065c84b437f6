/**
 * The condition, on a dataset aliased `d`, that it is public: active (not withdrawn) and not private
 * to its body. Every public list, count, search, feed, table and download asks it. A module of its
 * own, importing nothing, so that any part's top-level query may use it.
 */
export const PUBLIC_DATASET = `d.state = 'active' and not d.private`
