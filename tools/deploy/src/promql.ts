/** A label matcher of a PromQL selector: `label op "value"`. */
export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A PromQL selector with braces: `metric{matchers}`. */
export interface Selector {
  metric: string;
  matchers: LabelMatcher[];
}

const SELECTOR = /([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g;
const MATCHER = /(\w+)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;
const GROUPING = /\b(?:by|without)\s*\(([^)]*)\)/g;
/** Grafana's `label_values(metric, label)` and `label_values(metric{...}, label)`. */
const LABEL_VALUES = /\blabel_values\(\s*([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?\s*,\s*(\w+)\s*\)/g;
/** The names of our metrics and of prom-client's process metrics. */
const METRIC_NAME = /\b(?:pipeline|process|nodejs)_[a-z0-9_]+\b/g;
/** A Grafana variable in a query: `$name` or `${name}`. */
const VARIABLE = /\$\{?\w+\}?/g;

/** Every metric name an expression uses, once each. */
export function metricNamesIn(expression: string): string[] {
  return [...new Set(expression.match(METRIC_NAME) ?? [])];
}

/** Every selector with braces, with its matchers. */
export function selectorsIn(expression: string): Selector[] {
  return [...expression.matchAll(SELECTOR)].map(([, metric, body]) => ({
    metric,
    matchers: [...body.matchAll(MATCHER)].map(([, label, op, value]) => ({ label, op: op as LabelMatcher['op'], value })),
  }));
}

/**
 * Every label an expression refers to: in matchers, `by (...)` / `without (...)` and Grafana's
 * `label_values(..., label)`.
 */
export function labelsIn(expression: string): string[] {
  const grouped = [...expression.matchAll(GROUPING)].flatMap(([, list]) => list.split(',').map((label) => label.trim()));
  const matched = selectorsIn(expression).flatMap((selector) => selector.matchers.map((matcher) => matcher.label));
  const asked = [...expression.matchAll(LABEL_VALUES)].map(([, , label]) => label);
  return [...new Set([...grouped, ...matched, ...asked].filter((label) => label !== ''))];
}

/**
 * Whether a positive matcher (`=`, `=~`) accepts a label's value (a missing label is ""), as
 * Prometheus anchors it, with a Grafana variable standing for any value. Negative matchers only
 * leave series out, so they accept everything here.
 */
export function acceptsValue(matcher: LabelMatcher, value = ''): boolean {
  if (matcher.op === '!=' || matcher.op === '!~') return true;
  const pattern = matcher.value.replace(VARIABLE, '.*');
  if (matcher.op === '=') return pattern !== matcher.value || matcher.value === value;
  return new RegExp(`^(?:${pattern})$`).test(value);
}
