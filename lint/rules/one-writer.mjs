// One writer per table: `update(table)` / `insert(table)` calls on a guarded table are allowed only in the
// module that owns it, so every incident change carries its timeline event and audit row (README: one
// write path). Read from the syntax tree (call expressions), never from text: a comment saying "update
// incidents" is not a write.
import path from "node:path";

/** @type {import("eslint").Rule.RuleModule} */
export const oneWriter = {
  meta: {
    type: "problem",
    docs: { description: "Writes to a guarded table only from the module that owns it" },
    schema: [
      {
        type: "object",
        additionalProperties: {
          type: "object",
          properties: {
            methods: { type: "array", items: { enum: ["insert", "update", "delete"] } },
            writers: { type: "array", items: { type: "string" } },
            why: { type: "string" },
          },
          required: ["methods", "writers"],
          additionalProperties: false,
        },
      },
    ],
    messages: {
      outsideWriter: "{{method}}({{table}}) belongs in {{writers}}: {{why}}",
    },
  },
  create(context) {
    const tables = context.options[0] ?? {};
    const file = path.relative(context.cwd, context.filename).split(path.sep).join("/");
    return {
      CallExpression(node) {
        const { callee } = node;
        if (callee.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier") return;
        const method = callee.property.name;
        const [first] = node.arguments;
        if (!first || first.type !== "Identifier") return;
        const guard = Object.hasOwn(tables, first.name) ? tables[first.name] : undefined;
        if (!guard || !guard.methods.includes(method) || guard.writers.includes(file)) return;
        context.report({
          node,
          messageId: "outsideWriter",
          data: {
            method,
            table: first.name,
            writers: guard.writers.join(" or "),
            why: guard.why ?? "this table has one writer",
          },
        });
      },
    };
  },
};

export default { rules: { "one-writer": oneWriter } };
