/**
 * The catalogue of API error messages (issue 21, point 7): every message the source writes in
 * a fail()/new ApiError() call has an entry, so no page shows a Chinese reader English; every
 * Chinese wording uses exactly the params of its English one; a message matches the entry
 * written for it, and renders in Chinese with its field names translated.
 */
import { describe, expect, it } from 'vitest';
import { API_ERRORS } from '../../src/lib/messages/api-errors.js';
import { describeError, matchMessage, renderError, templateParams, templatePattern, UNLISTED } from '../../src/lib/api-error.js';
import { ApiError, errorJson } from '../../src/lib/server/platform/errors.js';
import { sourceMessages } from '../helpers/error-messages.js';

describe('the API error catalogue', () => {
	const messages = sourceMessages('src');

	it('finds the messages of the source', () => {
		// ~490 calls; a scan that found few would prove nothing.
		expect(messages.length).toBeGreaterThan(400);
		expect(messages.map((m) => m.text)).toContain('the point [Sx, Sx] is outside your territory');
	});

	it('has an entry for every message written in a fail() or new ApiError() call', () => {
		const unlisted = messages.filter((m) => matchMessage(m.text).code === UNLISTED).map((m) => `${m.at}: ${m.text}`);
		expect(unlisted).toEqual([]);
	});

	it('gives each code once, and each Chinese wording the params of its English one', () => {
		const codes = API_ERRORS.map((e) => e.code);
		expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
		for (const e of API_ERRORS) {
			expect(e.code, e.code).toMatch(/^[a-z][a-z0-9_]*$/);
			expect(templateParams(e.zh).sort(), e.code).toEqual(templateParams(e.en).sort());
			expect(e.zh, e.code).not.toBe('');
			expect(() => templatePattern(e.en), e.code).not.toThrow();
		}
	});

	it('puts no entry where a more general one above it takes all its messages', () => {
		// Each entry's own English, its params filled with samples, must come back as that entry.
		const shadowed = API_ERRORS.flatMap((e) => {
			const sample = e.en.replace(/\{(\w+)\}/g, (_, name: string) => `${name}1`);
			const found = matchMessage(sample).code;
			return found === e.code ? [] : [`${e.code} is taken by ${found}: ${sample}`];
		});
		expect(shadowed).toEqual([]);
	});

	it('matches a message and renders it in Chinese, field names translated', () => {
		const point = matchMessage('the point [105.83, 28.81] is outside your territory');
		expect(point).toEqual({ code: 'point_outside_territory', params: { lng: '105.83', lat: '28.81' } });
		expect(renderError(point.code, point.params, 'zh')).toBe('位置 [105.83, 28.81] 不在您的辖区内');
		expect(renderError(point.code, point.params, 'en')).toBe('the point [105.83, 28.81] is outside your territory');

		const number = matchMessage("lng must be a number, got 'abc'");
		expect(number).toEqual({ code: 'number_got', params: { field: 'lng', value: "'abc'" } });
		expect(renderError(number.code, number.params, 'zh')).toBe("经度必须是数字，收到的是 'abc'");
		expect(describeError({ message: 'effective_date is required' }, 'zh')).toBe('请填写生效日期');
		expect(describeError({ message: 'sign in to record visits' }, 'zh')).toBe('请先登录，再登记走访');
		expect(describeError({ message: 'a grid_worker account may not create renovation projects' }, 'zh')).toBe('网格员账号无权新建改造项目');
		// An instant in UTC is shown in China time.
		expect(describeError({ message: 'rain alert 3 is off (since 2026-12-07T14:44:13.501Z)' }, 'zh')).toBe('降雨预警 3 已于 2026/12/7 22:44 关闭');
	});

	it('leaves a message it does not know as it is', () => {
		expect(matchMessage('something new went wrong')).toEqual({ code: UNLISTED, params: {} });
		expect(describeError({ message: 'something new went wrong', code: UNLISTED, params: {} }, 'zh')).toBe('something new went wrong');
		expect(describeError(null, 'zh', '500 Internal Server Error')).toBe('500 Internal Server Error');
	});

	it('answers {message, code, params}, the message unchanged', () => {
		const error = new ApiError(400, 'lat 95 is out of range [-90, 90]');
		expect(JSON.parse(errorJson(error))).toEqual({
			message: 'lat 95 is out of range [-90, 90]',
			code: 'number_out_of_range',
			params: { field: 'lat', value: '95', min: '-90', max: '90' }
		});
	});
});
