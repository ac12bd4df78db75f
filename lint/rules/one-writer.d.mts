import type { ESLint, Rule } from "eslint";

export const oneWriter: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
