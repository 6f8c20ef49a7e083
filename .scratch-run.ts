import { readFileSync } from 'node:fs';
import { buildArticle, markdownForPlatform } from '/work/main/server/src/content/index';
const f = process.argv[2];
const src = readFileSync(f, 'utf8');
const a = buildArticle({ title: 'T', body: src }, { mapping: { title: 'title', body: 'body' }, attributes: { body: { type: 'richtext' } }, publicUrl: 'https://k8s.example' });
console.log(a.warnings);
console.log(process.argv[3] === 'medium' ? markdownForPlatform(a.markdown, { tables: 'degrade', titleHeading: 'T' }).value : a.markdown);
