// Markdown as people read it (runbooks, postmortems): GitHub-flavoured (tables, task lists) through
// react-markdown, which renders no raw HTML and drops javascript: links, so edited text cannot inject
// anything. Styled here since the app has no typography plugin.
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { markdownRenderProblem } from "@/lib/markdown/render-budget";

const headingClass = {
  1: "mt-6 mb-3 text-2xl font-semibold first:mt-0",
  2: "mt-6 mb-2 border-b border-zinc-200 pb-1 text-lg font-semibold first:mt-0 dark:border-zinc-800",
  3: "mt-4 mb-1 font-semibold",
} as const;

/** Headings keep the look of their markdown level; `shift` only moves the HTML element down. */
function headings(shift: 0 | 1): Components {
  const at = (level: 1 | 2 | 3) => {
    const Tag = `h${level + shift}` as "h1" | "h2" | "h3" | "h4";
    const Heading: NonNullable<Components["h1"]> = ({ children }) => (
      <Tag className={headingClass[level]}>{children}</Tag>
    );
    return Heading;
  };
  return { h1: at(1), h2: at(2), h3: at(3) };
}

const body: Components = {
  p: ({ children }) => <p className="my-2 leading-relaxed">{children}</p>,
  ul: ({ children }) => <ul className="my-2 list-disc space-y-1 pl-6">{children}</ul>,
  ol: ({ children }) => <ol className="my-2 list-decimal space-y-1 pl-6">{children}</ol>,
  a: ({ href, children }) => (
    <a href={href} className="text-blue-700 underline dark:text-blue-400">
      {children}
    </a>
  ),
  code: ({ children, className }) => (
    <code className={`${className ?? ""} rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] dark:bg-zinc-800`}>
      {children}
    </code>
  ),
  pre: ({ children }) => (
    <pre className="my-3 overflow-x-auto rounded bg-zinc-100 p-3 text-sm dark:bg-zinc-800 [&_code]:bg-transparent [&_code]:p-0">
      {children}
    </pre>
  ),
  table: ({ children }) => (
    <div className="my-3 overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm">{children}</table>
    </div>
  ),
  th: ({ children }) => (
    <th className="border border-zinc-200 px-2 py-1 font-medium dark:border-zinc-700">{children}</th>
  ),
  td: ({ children }) => <td className="border border-zinc-200 px-2 py-1 align-top dark:border-zinc-700">{children}</td>,
  blockquote: ({ children }) => (
    <blockquote className="my-3 border-l-4 border-zinc-300 pl-3 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
      {children}
    </blockquote>
  ),
};

const pageComponents: Components = { ...body, ...headings(0) };
const shiftedComponents: Components = { ...body, ...headings(1) };

/**
 * `belowPageTitle`: the page already has its own <h1> (a runbook's title), so the document's headings
 * move one level down and the outline stays right for screen readers.
 */
export function Markdown({
  markdown,
  belowPageTitle = false,
  className,
  ...attributes
}: { markdown: string; belowPageTitle?: boolean; className?: string } & Record<
  `aria-${string}` | `data-${string}`,
  string
>) {
  // A stored document the renderer cannot take in bounded time (saved before the check existed) is shown
  // as the text it is, rather than holding the server (or the browser) for seconds.
  const problem = markdownRenderProblem(markdown);
  if (problem) {
    return (
      <div className={`min-w-0 ${className ?? ""}`} {...attributes}>
        <p role="note" className="my-2 text-sm text-muted">
          Shown as plain text: {problem}.
        </p>
        <pre className="my-2 overflow-x-auto whitespace-pre-wrap break-words font-mono text-xs">{markdown}</pre>
      </div>
    );
  }
  return (
    <div className={`min-w-0 ${className ?? ""}`} {...attributes}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={belowPageTitle ? shiftedComponents : pageComponents}>
        {markdown}
      </ReactMarkdown>
    </div>
  );
}
