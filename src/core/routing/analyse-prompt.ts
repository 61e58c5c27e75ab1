import type { ChatRequest } from '../spec/chat-request';
import type { PromptAnalysis, TaskType } from './route-plan';

interface TaskRule {
  task: TaskType;
  signal: string;
  pattern: RegExp;
  weight: number;
}

/**
 * Deterministic task signals, read from the last user message (the current ask). Weights are
 * chosen so that one strong signal (a code fence, "translate", "prove") decides, and weaker
 * keywords only decide together. Order breaks ties: earlier task types win.
 */
const TASK_RULES: TaskRule[] = [
  { task: 'code', signal: 'code fence', pattern: /```/, weight: 3 },
  { task: 'code', signal: 'stack trace', pattern: /(?:\bat \S+ \(?\S+:\d+:\d+\)?|Traceback \(most recent call last\)|Exception in thread|panicked at)/, weight: 3 },
  {
    task: 'code',
    signal: 'code keywords',
    pattern: /\b(?:refactor|debug|bug|compile[sr]?|typescript|javascript|python|rust|golang|java|kotlin|swift|c\+\+|sql|regex|unit tests?|function|method|class|endpoint|null pointer|segfault|stack trace|exception|lint|git|npm|dockerfile|implement)\b/i,
    weight: 2,
  },
  { task: 'code', signal: 'code syntax', pattern: /(?:=>|\(\)\s*\{|;\s*$|\bdef \w+\(|\bfn \w+\(|\bconst \w+ =|\bimport \w+ from\b|<\/?[a-z]+>)/m, weight: 2 },
  { task: 'math', signal: 'math keywords', pattern: /\b(?:prove|proof|theorem|lemma|integral|derivative|equation|solve for|matrix|eigen\w*|probability|combinatorics)\b/i, weight: 3 },
  { task: 'math', signal: 'arithmetic', pattern: /\d+\s*[-+*/^×÷=]\s*\d+/, weight: 1 },
  {
    task: 'reasoning',
    signal: 'reasoning keywords',
    pattern: /\b(?:step by step|think (?:carefully|through)|reason(?:ing)? about|trade-?offs?|pros and cons|why does|explain why|should (?:i|we)|which is better|puzzle|riddle|deduce|plan (?:out|for))\b/i,
    weight: 2,
  },
  {
    task: 'creative',
    signal: 'creative keywords',
    pattern: /\b(?:poem|haiku|limerick|story|short story|fiction|lyrics|song|slogan|tagline|brainstorm|imaginative|creative|screenplay)\b/i,
    weight: 3,
  },
  { task: 'summarization', signal: 'summary keywords', pattern: /\b(?:summari[sz]e|summary|tl;?dr|key points|condense|recap)\b/i, weight: 3 },
  {
    task: 'translation',
    signal: 'translation keywords',
    pattern: /\b(?:translate|translation|into (?:english|french|spanish|german|italian|portuguese|japanese|chinese|korean|russian|arabic|dutch))\b/i,
    weight: 4,
  },
  {
    task: 'extraction',
    signal: 'extraction keywords',
    pattern: /\b(?:extract|pull out|list all|parse (?:this|the)|into json|as json|to json|as csv|structured data|fill (?:in )?the fields)\b/i,
    weight: 3,
  },
  { task: 'analysis', signal: 'analysis keywords', pattern: /\b(?:analy[sz]e|analysis|evaluate|assess|review|critique|insights?|root cause|compare|investigate)\b/i, weight: 2 },
];

/** Words that mark a hard ask, whatever its task type. */
const HARD_PATTERN =
  /\b(?:architecture|distributed|concurren\w*|race condition|deadlock|optimi[sz]e|performance|security|vulnerab\w*|migrat\w*|entire|whole (?:codebase|project|repo)|multi-step|edge cases|formal|rigorous|scalab\w*|design a|from scratch)\b/gi;

const DEFAULT_TIER: Record<PromptAnalysis['complexity'], 1 | 2 | 3> = { low: 3, medium: 2, high: 1 };

/**
 * The auto router's reading of a prompt: task type, complexity, size and attachments, by
 * deterministic heuristics (no model call), with the signals that fired kept for the decision
 * log. Complexity counts points: long prompts, many questions, tools, hard-ask words, and
 * inherently demanding tasks (code, math, reasoning); 0 is low, 1–2 medium, 3 or more high.
 */
export function analysePrompt(chat: ChatRequest, promptTokens: number): PromptAnalysis {
  const ask = lastUserText(chat);
  const attachments = { images: 0, audio: 0, video: 0, files: 0 };
  for (const message of chat.messages) {
    if (message.role !== 'user') {
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'image') attachments.images++;
      else if (part.type === 'audio') attachments.audio++;
      else if (part.type === 'video') attachments.video++;
      else if (part.type === 'file') attachments.files++;
    }
  }

  const reading = readAsk(ask);
  const signals: string[] = [];
  const scores = new Map<TaskType, number>();
  for (const rule of reading.rules) {
    scores.set(rule.task, (scores.get(rule.task) ?? 0) + rule.weight);
    signals.push(rule.signal);
  }
  if (chat.responseFormat?.type === 'json') {
    scores.set('extraction', (scores.get('extraction') ?? 0) + 2);
    signals.push('json output');
  }
  if (attachments.files > 0) {
    scores.set('analysis', (scores.get('analysis') ?? 0) + 1);
    signals.push('document attached');
  }
  let taskType: TaskType = 'chat';
  let best = 0;
  for (const rule of TASK_RULES) {
    const score = scores.get(rule.task) ?? 0;
    if (score > best) {
      best = score;
      taskType = rule.task;
    }
  }

  let points = 0;
  if (promptTokens > 8_000) {
    points += 2;
    signals.push('long prompt');
  } else if (promptTokens > 2_000) {
    points += 1;
    signals.push('medium prompt');
  } else if (ask.length > 600) {
    // Size counts once: a long ask in a short conversation, or a long conversation.
    points += 1;
  }
  if (reading.questions >= 3) {
    points += 1;
    signals.push('several questions');
  }
  if (chat.tools !== undefined && chat.tools.length > 0) {
    points += 1;
    signals.push('tools');
  }
  const hardWords = reading.hardWords;
  if (hardWords.size > 0) {
    points += Math.min(2, hardWords.size);
    signals.push(`hard-ask words (${[...hardWords].slice(0, 3).join(', ')})`);
  }
  if (taskType === 'code' || taskType === 'math' || taskType === 'reasoning') {
    points += 1;
  }
  const complexity: PromptAnalysis['complexity'] = points >= 3 ? 'high' : points >= 1 ? 'medium' : 'low';
  return { taskType, complexity, promptTokens, attachments, signals, desiredTier: DEFAULT_TIER[complexity] };
}

/** What the regexes found in one ask; everything else the analysis reads is cheap to count. */
interface AskReading {
  /** The task rules whose pattern matched, in {@link TASK_RULES} order. */
  rules: readonly TaskRule[];
  questions: number;
  hardWords: ReadonlySet<string>;
}

const readings = new Map<string, AskReading>();
/**
 * Asks remembered. An agent's tool loop re-sends the same last user message on every turn, and a
 * preview plans the ask the route then plans again; a few entries catch both.
 */
const READINGS_KEPT = 8;

/** Runs the ~14 regexes over an ask once per distinct ask text, not once per request. */
function readAsk(ask: string): AskReading {
  const known = readings.get(ask);
  if (known !== undefined) {
    return known;
  }
  const reading: AskReading = {
    rules: TASK_RULES.filter((rule) => rule.pattern.test(ask)),
    questions: ask.match(/\?/g)?.length ?? 0,
    hardWords: new Set((ask.match(HARD_PATTERN) ?? []).map((word) => word.toLowerCase())),
  };
  if (readings.size >= READINGS_KEPT) {
    // Forget the oldest: a Map iterates in insertion order.
    const oldest = readings.keys().next();
    if (oldest.done !== true) {
      readings.delete(oldest.value);
    }
  }
  readings.set(ask, reading);
  return reading;
}

function lastUserText(chat: ChatRequest): string {
  for (let index = chat.messages.length - 1; index >= 0; index--) {
    const message = chat.messages[index];
    if (message?.role === 'user') {
      return message.content
        .map((part) => (part.type === 'text' ? part.text : ''))
        .join('\n');
    }
  }
  return '';
}
