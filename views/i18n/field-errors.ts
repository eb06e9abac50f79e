import type { Catalog } from './translator.ts';

// Refusals of form fields that the domain names by a reason (`validation.<reason>`, filled with its params).
export const fieldErrors: Catalog = {
  en: {
    'validation.number_range': 'Enter a whole number from {min} to {max}',
    'validation.faq_needs_answer': 'Question {n} of the FAQ needs an answer on the lines after it',
    'validation.faq_entry_incomplete': 'Question {n} of the FAQ needs both a question and an answer',
    'validation.fallback_empty': 'The reply when the assistant cannot answer may not be empty: customers receive it',
    'validation.base_url_required': 'A compatible provider needs its server address',
    'validation.base_url_invalid': 'Enter an http(s) address such as http://10.0.0.5:8000/v1',
    'validation.api_key_required': 'OpenAI needs an API key',
    'validation.model_required': 'Name the model to use',
    'validation.tick_to_agree': 'Tick the authorisation text to record it',
    'validation.channel_name': 'Enter the channel name (at most {max} characters)',
  },
  ru: {
    'validation.number_range': 'Введите целое число от {min} до {max}',
    'validation.faq_needs_answer': 'У вопроса {n} в FAQ нет ответа: напишите его на строках после вопроса',
    'validation.faq_entry_incomplete': 'У вопроса {n} в FAQ должны быть и вопрос, и ответ',
    'validation.fallback_empty': 'Ответ на случай, когда ассистент не может ответить, не может быть пустым: его получают клиенты',
    'validation.base_url_required': 'Для совместимого провайдера нужен адрес сервера',
    'validation.base_url_invalid': 'Введите адрес http(s), например http://10.0.0.5:8000/v1',
    'validation.api_key_required': 'Для OpenAI нужен API-ключ',
    'validation.model_required': 'Укажите модель',
    'validation.tick_to_agree': 'Отметьте текст разрешения, чтобы записать его',
    'validation.channel_name': 'Введите название канала (не более {max} символов)',
  },
  kk: {
    'validation.number_range': '{min} мен {max} аралығындағы бүтін санды енгізіңіз',
    'validation.faq_needs_answer': 'FAQ-тағы {n}-сұрақтың жауабы жоқ: оны сұрақтан кейінгі жолдарға жазыңыз',
    'validation.faq_entry_incomplete': 'FAQ-тағы {n}-сұрақта сұрақ та, жауап та болуы керек',
    'validation.fallback_empty': 'Көмекші жауап бере алмағандағы жауап бос болмауы керек: оны клиенттер алады',
    'validation.base_url_required': 'Үйлесімді провайдерге сервер мекенжайы керек',
    'validation.base_url_invalid': 'http(s) мекенжайын енгізіңіз, мысалы http://10.0.0.5:8000/v1',
    'validation.api_key_required': 'OpenAI үшін API кілті керек',
    'validation.model_required': 'Модельді көрсетіңіз',
    'validation.tick_to_agree': 'Рұқсатты жазу үшін оның мәтінін белгілеңіз',
    'validation.channel_name': 'Арнаның атауын енгізіңіз (ең көбі {max} таңба)',
  },
};
