import * as vscode from 'vscode';

/** Folder, under the first workspace folder, where `/image` saves what it generates. */
export const GENERATED_IMAGES_FOLDER = 'perpetuo-images';

const EXTENSIONS: Readonly<Record<string, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' };

/**
 * Writes one generated image to `perpetuo-images/<timestamp>-<slug>.<ext>` under `root` and
 * returns its URI. The timestamp (UTC, to the second, sortable) and an `-n` suffix for the
 * second and later images of one answer keep names unique; the slug is the prompt's first words.
 */
export async function saveGeneratedImage(root: vscode.Uri, image: { mediaType: string; data: string }, prompt: string, index: number, now: Date): Promise<vscode.Uri> {
  const stamp = now.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  const extension = EXTENSIONS[image.mediaType.toLowerCase()] ?? 'png';
  const name = `${stamp}-${slugify(prompt)}${index > 0 ? `-${index + 1}` : ''}.${extension}`;
  const folder = vscode.Uri.joinPath(root, GENERATED_IMAGES_FOLDER);
  await vscode.workspace.fs.createDirectory(folder);
  const uri = vscode.Uri.joinPath(folder, name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(image.data, 'base64'));
  return uri;
}

/** "A lighthouse at dusk, oil painting!" → "a-lighthouse-at-dusk-oil-painting", at most 48 characters. */
export function slugify(prompt: string): string {
  const slug = prompt
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug === '' ? 'image' : slug;
}

/**
 * `--aspect 16:9` anywhere in the prompt → the ratio, and the prompt without it. OpenRouter passes
 * `image_config.aspect_ratio` to the image model.
 * @see https://openrouter.ai/docs/features/multimodal/image-generation
 */
export function parseImagePrompt(prompt: string): { prompt: string; aspectRatio: string | undefined } {
  const match = /(?:^|\s)--aspect(?:-ratio)?[=\s]+(\d{1,2}:\d{1,2})(?=\s|$)/.exec(prompt);
  if (!match) {
    return { prompt: prompt.trim(), aspectRatio: undefined };
  }
  return { prompt: (prompt.slice(0, match.index) + prompt.slice(match.index + match[0].length)).replace(/\s+/g, ' ').trim(), aspectRatio: match[1] };
}
