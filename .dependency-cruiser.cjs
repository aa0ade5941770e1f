/**
 * The layers of the bot, enforced in `npm test` (`npm run lint:layers`). Lowest first:
 *   core → store, queries → cards → remediation, sim → handlers → bot
 * Each folder imports only the ones below it. See the README's architecture section.
 */
const LAYERS = {
  core: [],
  store: ['core'],
  queries: ['core'],
  cards: ['core', 'queries'],
  remediation: ['core', 'store', 'queries', 'cards'],
  sim: ['core', 'store', 'queries', 'cards'],
  handlers: ['core', 'store', 'queries', 'cards', 'remediation'],
  bot: ['core', 'store', 'queries', 'cards', 'remediation', 'sim', 'handlers'],
};
const FOLDERS = Object.keys(LAYERS);

/** Chat platforms' SDKs: only the adapters under bot/ speak to Teams and Slack. */
const CHAT_SDKS = '^node_modules/(@slack/|@microsoft/agents-|botbuilder)';
/**
 * Platform SDKs the handlers reach only through ports: the LLM client lives in queries/llm/, the
 * Kubernetes clients in remediation/executors/ (the chat SDKs stay in bot/adapters/ by
 * chat-sdks-only-in-adapters, which covers handlers/ too).
 */
const PLATFORM_SDKS = '^node_modules/(openai|@kubernetes/client-node)(/|$)';
/** The Model Context Protocol SDK: agents reach the bot only through its adapter under bot/adapters/. */
const MCP_SDK = '^node_modules/@modelcontextprotocol/';

module.exports = {
  forbidden: [
    ...FOLDERS.map((folder) => ({
      name: `layer-${folder}`,
      comment: `${folder}/ may import only ${LAYERS[folder].join(', ') || 'itself, zod and node builtins'} of the bot's folders`,
      severity: 'error',
      from: { path: `^${folder}/` },
      to: { path: `^(${FOLDERS.filter((f) => f !== folder && !LAYERS[folder].includes(f)).join('|')})/` },
    })),
    {
      name: 'core-zod-and-node-only',
      comment: 'core/ is the domain kernel: it imports only zod and node builtins',
      severity: 'error',
      from: { path: '^core/' },
      to: { dependencyTypesNot: ['core', 'local'], pathNot: '^node_modules/zod/' },
    },
    {
      name: 'sim-only-from-local-mode',
      comment: 'production code reaches the simulator only through bot/local-mode.ts',
      severity: 'error',
      from: { path: '^bot/', pathNot: '^bot/local-mode\\.ts$' },
      to: { path: '^sim/' },
    },
    {
      name: 'chat-sdks-only-in-adapters',
      comment: 'only bot/adapters/ (and their routes) use the Teams and Slack SDKs',
      severity: 'error',
      from: { path: `^(${FOLDERS.join('|')})/`, pathNot: '^bot/(adapters|http)/' },
      to: { path: CHAT_SDKS },
    },
    {
      name: 'no-platform-sdks-in-handlers',
      comment:
        'handlers speak to platforms through ports wired in bot/backends.ts and bot/modules/, never through an SDK',
      severity: 'error',
      from: { path: '^handlers/' },
      to: { path: PLATFORM_SDKS },
    },
    {
      name: 'mcp-sdk-only-in-adapters',
      comment:
        'only bot/adapters/ speaks MCP; the tools and their governance (handlers/agents/) are plain code',
      severity: 'error',
      from: { path: `^(${FOLDERS.join('|')})/`, pathNot: '^bot/adapters/' },
      to: { path: MCP_SDK },
    },
    {
      name: 'adapters-only-from-bot',
      comment: 'handlers and below never import a chat adapter',
      severity: 'error',
      from: { pathNot: '^(bot|test|bench|scripts|devTools)/' },
      to: { path: '^bot/adapters/' },
    },
    {
      name: 'no-dev-dependencies-in-production',
      comment: 'production code runs after `npm ci --omit=dev`: it never imports a devDependency',
      severity: 'error',
      from: { path: `^(${FOLDERS.join('|')})/` },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'an import that resolves to nothing is a typo or a missing dependency',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // TypeScript 7 has no JS API dependency-cruiser can use; swc parses the sources instead.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
