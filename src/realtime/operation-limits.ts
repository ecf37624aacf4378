import {
  type ASTVisitor,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/** Bounds on one GraphQL operation, checked before it runs. */
export interface OperationLimits {
  /**
   * Selections (fields, each alias counting, fragment spreads and inline fragments) in the operation with its
   * fragments expanded: a query of a thousand aliases of `me` would run a thousand resolvers.
   */
  maxSelections: number;
  /** Nesting of fields: `{ me { id } }` is 2. */
  maxDepth: number;
}

/** The reference server's bounds: far above what its schema needs (a `me` query selects 5, at depth 2). */
export const OPERATION_LIMITS: OperationLimits = { maxSelections: 100, maxDepth: 10 };

/**
 * A validation rule (graphql-js's visitor; Apollo's `validationRules`, Mercurius's alike) refusing an operation past
 * {@link OperationLimits}, before any resolver runs: one GraphQL error naming the limit, answered as the drivers
 * answer any invalid operation (a 4xx, never a 5xx). Fragments are expanded as execution would, a cycle once (graphql's
 * own rules refuse cycles); the count stops at the bound, so an exponential fan-out of fragments costs the validator
 * no more than the bound.
 */
export function operationLimitsRule(limits: OperationLimits = OPERATION_LIMITS): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const measure = { selections: 0, depth: 0 };
      walk(context, operation.selectionSet, 1, new Set(), measure, limits);
      const name = operation.name ? ` ${operation.name.value}` : '';
      if (measure.selections > limits.maxSelections) {
        context.reportError(
          new GraphQLError(
            `The operation${name} has more than ${limits.maxSelections} selections (aliases count each)`,
            { nodes: [operation] },
          ),
        );
      } else if (measure.depth > limits.maxDepth) {
        context.reportError(
          new GraphQLError(
            `The operation${name} nests fields deeper than ${limits.maxDepth} levels`,
            { nodes: [operation] },
          ),
        );
      }
    },
  });
}

function walk(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  depth: number,
  expanding: Set<string>,
  measure: { selections: number; depth: number },
  limits: OperationLimits,
): void {
  measure.depth = Math.max(measure.depth, depth);
  for (const selection of selectionSet.selections) {
    measure.selections += 1;
    if (measure.selections > limits.maxSelections || measure.depth > limits.maxDepth) return;
    if (selection.kind === Kind.FIELD) {
      if (selection.selectionSet) {
        walk(context, selection.selectionSet, depth + 1, expanding, measure, limits);
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      walk(context, selection.selectionSet, depth, expanding, measure, limits);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || expanding.has(name)) continue;
      expanding.add(name);
      walk(context, fragment.selectionSet, depth, expanding, measure, limits);
      expanding.delete(name);
    }
  }
}
