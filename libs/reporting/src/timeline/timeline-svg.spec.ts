import { describe, expect, it } from 'vitest';
import { sampleRunReport } from '../testing';
import { renderTimelineSvg } from './timeline-svg';

describe('renderTimelineSvg', () => {
  it('draws a titled chart with a row per stage, a bar per image and stage, and a legend', async () => {
    const report = await sampleRunReport({ fileNames: ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'], failed: [3], protocol: 'rest' });
    const { svg, width, height } = renderTimelineSvg(report);
    expect(svg).toMatch(new RegExp(`^<svg [^>]*width="${width}" height="${height}"`));
    expect(svg).toContain('Pipeline timeline — REST, local, 4 images,');
    for (const stage of ['Upload', 'Noise reduction', 'Background removal', 'Classification']) {
      expect(svg).toContain(`>${stage}</text>`);
    }
    expect(svg.match(/<title>/g)).toHaveLength(3 * 4);
    expect(svg).toContain('>Time since the orchestrator received the first image (s)</text>');
    expect(svg).toContain('>1  a.jpg</text>');
    expect(svg).toContain('>4  d.jpg — failed: IMAGE_UNREADABLE</text>');
    expect(svg).toContain('font-family="sans-serif"');
  });

  it('escapes file names and survives a run without successes', async () => {
    const report = await sampleRunReport({ fileNames: ['<script>&.png'], failed: [0] });
    const { svg } = renderTimelineSvg(report);
    expect(svg).toContain('&lt;script&gt;&amp;.png');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('no calls');
  });
});
