/** Why a question was refused; stable codes for the security log. */
export type InjectionReason =
  | 'instruction-override'
  | 'prompt-disclosure'
  | 'query-text'
  | 'destructive-command'
  | 'exfiltration'
  | 'secret-request'
  | 'shell-command';

interface Rule {
  reason: InjectionReason;
  pattern: RegExp;
}

/**
 * Signs that the question tries to steer the bot instead of asking it something. They are
 * deliberately broad: a false refusal costs a rephrase, a missed one could run user text.
 */
const RULES: readonly Rule[] = [
  {
    reason: 'destructive-command',
    pattern: /(^|\s|[;|])\.(drop|delete|set|append|alter|create|purge|clear|ingest|rename)\s+\w+/,
  },
  {
    reason: 'destructive-command',
    pattern:
      /\b(drop|truncate|alter)\s+(table|database|column|index|schema)\b|\bdelete\s+from\b|\binsert\s+into\b|\bupdate\s+\w+\s+set\b|\bselect\s+.+\s+from\s+\w+/,
  },
  {
    reason: 'destructive-command',
    pattern:
      /\b(delete|wipe|purge|erase|destroy)\s+(all|every|the)?\s*(data|logs?|tables?|records?|rows|database|history|audit|alerts|incidents)\b/,
  },
  {
    reason: 'shell-command',
    pattern:
      /\b(rm\s+-rf|curl\s+|wget\s+|bash\s+-c|powershell|cmd\.exe|chmod\s+|sudo\s+|nc\s+-|eval\s*\()|\$\(|`[^`]+`|;\s*(ls|cat|rm|curl|wget)\b|\/etc\/passwd/,
  },
  {
    reason: 'exfiltration',
    pattern:
      /\bhttps?:\/\/|\bftp:\/\/|\bwww\.[a-z0-9-]+\.|\b[a-z0-9-]+\.(com|net|org|io|ru|cn|xyz|dev|app)\b/,
  },
  {
    reason: 'exfiltration',
    pattern:
      /\b(send|post|upload|email|e-mail|mail|forward|export|exfiltrate|leak|copy|transfer|push|pipe)\b[^.?!]{0,60}\b(to\s+(me|my|an?|this|the|external|webhook|endpoint|server|address|url)|@|webhook|pastebin|gist|s3|bucket|dropbox|telegram|discord)\b/,
  },
  {
    reason: 'exfiltration',
    pattern:
      /\b(exfiltrat\w*|dump\s+(all|every|the\s+whole|everything)|all\s+(user|customer)s?\s+(data|records|emails?|prompts?|messages))\b/,
  },
  {
    reason: 'secret-request',
    pattern:
      /\b(api[\s_-]?keys?|secrets?|passwords?|passwd|credentials?|connection\s+strings?|client[\s_-]?secret|access[\s_-]?tokens?|bearer\s+tokens?|auth\s+tokens?|private\s+keys?|env(ironment)?\s+variables?|\.env\b|kubeconfig|sas\s+tokens?)\b/,
  },
  {
    reason: 'prompt-disclosure',
    pattern: /\b(system|initial|hidden|original)\s+(prompt|instructions?|message)\b/,
  },
  {
    reason: 'prompt-disclosure',
    pattern:
      /\b(print|reveal|show|repeat|output|dump|display|tell\s+me)\s+(me\s+)?(the\s+contents?\s+of\s+)?(your|the|the\s+bot'?s)\s+(prompt|instructions?|rules|config(uration)?|settings|source|memory|context)\b/,
  },
  {
    reason: 'instruction-override',
    pattern:
      /\b(ignore|disregard|forget|override|bypass|skip)\b[^.?!]{0,40}\b(instructions?|rules?|prompts?|guidance|guidelines|directions|programming|context|guardrails?|polic(y|ies)|restrictions?|safety|filters?|previous|above|everything)\b/,
  },
  {
    reason: 'instruction-override',
    pattern:
      /\b(you\s+are\s+now|act\s+as|pretend\s+(to\s+be|you)|roleplay|jailbreak\s+(yourself|mode)|you\s+are\s+jailbroken|developer\s+mode|dan\s+mode|new\s+instructions?|from\s+now\s+on)\b/,
  },
  {
    reason: 'instruction-override',
    pattern: /<\/?(system|assistant|user|instructions?)>|\[\/?(inst|system)\]|###\s*(system|instruction)/,
  },
  {
    reason: 'query-text',
    pattern:
      /\b(run|execute|exec|evaluate|eval)\s+(this|these|the\s+following|following|my|raw|custom|arbitrary|own)\s+(kql|kusto|promql|sql|query|queries|command|commands|script|statement)\b|\b(run|execute|exec)\s+(kql|kusto|promql|sql)\b|\b(kql|promql|sql)\s*:/,
  },
  {
    reason: 'query-text',
    pattern:
      /\|\s*(where|project|summarize|extend|take|limit|join|union|render|evaluate|invoke|delete|parse|mv-expand|top|order|sort|count|distinct|make-series)\b/,
  },
  {
    reason: 'query-text',
    pattern:
      /\b(apprequests|appexceptions|appdependencies|appmetrics|containerlog\w*|kubepodinventory|insightsmetrics|azurediagnostics|signinlogs|auditlogs|securityevent)\b/,
  },
  {
    reason: 'query-text',
    pattern:
      /\b(externaldata|http_request|http_request_post|cluster\s*\(|database\s*\(|workspace\s*\(|materialize\s*\(|toscalar\s*\()/,
  },
  {
    reason: 'query-text',
    pattern:
      /\b(sum|avg|max|min|count|topk|bottomk|quantile|histogram_quantile)\s*(by\s*\([^)]*\)\s*)?\(\s*(rate|irate|increase|[a-z_:]+\{)|[a-z_:]+\{[^}]*=~?\s*"|\[\d+[smhdw]\]|\b(rate|irate|increase|delta)\s*\(\s*[a-z_:]+/,
  },
  {
    reason: 'query-text',
    pattern: /\bdcgm_fi_[a-z_]+\b|\b__name__\b|\blet\s+\w+\s*=|\bdeclare\s+query_parameters\b/,
  },
];

/** The first injection sign in a question, or `undefined` for an ordinary question. */
export function detectInjection(question: string): InjectionReason | undefined {
  const text = question.toLowerCase().replace(/\s+/g, ' ');
  return RULES.find((r) => r.pattern.test(text))?.reason;
}
