/** The app's error page (src/routes/+error.svelte, issue 21, point 6). */
import type { Pair } from './pair.js';

export const ERROR_PAGE_MESSAGES = {
	appName: { zh: '网格治理一张图', en: 'Grid governance map' },
	errorTitle404: { zh: '找不到这个页面', en: 'Page not found' },
	errorText404: {
		zh: '这个页面不存在，或者它不在您的辖区内。请检查链接，或从下面的入口重新进入。',
		en: 'This page does not exist, or it is outside your territory. Check the link, or start again from below.'
	},
	errorTitle403: { zh: '无权查看', en: 'Not allowed' },
	errorText403: { zh: '您的账号没有查看这个页面的权限。如需开通，请联系县网格化管理中心。', en: 'Your account may not open this page. Ask the county grid management centre if you need it.' },
	errorTitle401: { zh: '请先登录', en: 'Please sign in' },
	errorText401: { zh: '这个页面需要登录后查看。', en: 'Sign in to see this page.' },
	errorTitle503: { zh: '系统暂时不可用', en: 'Temporarily unavailable' },
	errorText503: { zh: '数据库暂时无法连接，请稍后刷新重试。已保存在手机上的记录不会丢失。', en: 'The database cannot be reached just now; reload in a moment. Records kept on your phone are not lost.' },
	errorTitleother: { zh: '出错了', en: 'Something went wrong' },
	errorTextother: { zh: '服务器未能完成这个请求。请稍后重试；如果反复出现，请联系系统管理员。', en: 'The server could not complete this request. Try again shortly; if it keeps happening, tell the system administrator.' },
	errorToMap: { zh: '返回地图', en: 'Back to the map' },
	errorToMyBuildings: { zh: '返回我的楼栋', en: 'Back to my buildings' },
	errorSignIn: { zh: '登录', en: 'Sign in' },
	errorBack: { zh: '返回上一页', en: 'Go back' }
} satisfies Record<string, Pair>;
